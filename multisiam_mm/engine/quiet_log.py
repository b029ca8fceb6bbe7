"""Per-tensor detail at DEBUG only: a context that raises the current logger to WARNING unless it logs DEBUG."""
import logging
from contextlib import contextmanager
from typing import Iterator

from mmengine.logging import MMLogger


@contextmanager
def detail_at_debug() -> Iterator[bool]:
    """Inside, the current MMLogger drops INFO lines unless one of its handlers shows DEBUG
    (``log_level='DEBUG'``: MMLogger filters by its handlers' levels, its own level is left unset).

    For upstream code that logs one INFO line per tensor (mmengine's ``paramwise_options -- ...`` of the
    optimizer constructor, a module's weight-init report): hundreds of lines a run that the caller sums
    up in one. Yields whether the detail is shown (the logger is at DEBUG).
    """
    logger = MMLogger.get_current_instance()
    shown = any(handler.level <= logging.DEBUG for handler in logger.handlers)
    level = logger.level
    if not shown:
        logger.setLevel(logging.WARNING)
    try:
        yield shown
    finally:
        logger.setLevel(level)
