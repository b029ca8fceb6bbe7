"""Workarounds for two upstream defects of the pinned stack; imported first by ``multisiam_mm``.

1. mmselfsup 1.0.0 declares ``mmselfsup.engine.runner`` as the import location of its RUNNERS,
   RUNNER_CONSTRUCTORS and LOOPS registries, but that module does not exist (open-mmlab/mmselfsup#745).
   With mmengine >= 0.7.1 any Runner built under ``default_scope='mmselfsup'`` imports the locations
   and dies with ModuleNotFoundError. :func:`repair_registry_locations` points each missing location
   at its nearest existing parent package.
2. torch >= 2.6 loads checkpoints with ``weights_only=True`` by default, while mmengine 0.10.7
   checkpoints pickle its ``HistoryBuffer`` and numpy scalars/arrays in ``message_hub``; ``Pretrained``
   init, ``load_from`` and ``--resume`` then fail with UnpicklingError. :func:`allow_mmengine_checkpoints`
   allowlists exactly those types, so the safe loader stays on and a checkpoint from the internet can
   never run code.
"""
import importlib.util

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer


def repair_registry_locations() -> list[tuple[str, str]]:
    """Redirect mmselfsup registry locations that name missing modules; return ``(old, new)`` pairs."""
    from mmselfsup import registry

    repaired = []
    for value in vars(registry).values():
        locations = getattr(value, '_locations', None)
        if not isinstance(locations, list):
            continue
        for i, location in enumerate(locations):
            existing = location
            while importlib.util.find_spec(existing) is None:
                existing = existing.rpartition('.')[0]
            if existing != location:
                locations[i] = existing
                repaired.append((location, existing))
    return repaired


def mmengine_checkpoint_globals() -> list:
    """The non-tensor types that mmengine 0.10.7 writes into a checkpoint's ``message_hub`` and meta."""
    numpy_dtypes = [type(np.dtype(name)) for name in (
        'float64', 'float32', 'float16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool')]
    return [
        HistoryBuffer,
        np.ndarray,
        np.dtype,
        np.core.multiarray._reconstruct,
        np.core.multiarray.scalar,
        *numpy_dtypes,
    ]


def _history_buffer_state(self: HistoryBuffer) -> dict:
    """``HistoryBuffer.__getstate__`` without the statistics functions (see the module docstring)."""
    state = dict(self.__dict__)
    state.pop('statistics_methods', None)
    return state


def pickle_history_buffers_without_functions() -> None:
    HistoryBuffer.__getstate__ = _history_buffer_state


def allow_mmengine_checkpoints() -> None:
    """Allowlist mmengine checkpoint types for torch's ``weights_only`` loader."""
    torch.serialization.add_safe_globals(mmengine_checkpoint_globals())


repair_registry_locations()
pickle_history_buffers_without_functions()
allow_mmengine_checkpoints()
