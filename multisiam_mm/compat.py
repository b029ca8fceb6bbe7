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
import pickle

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


def history_buffer_statistic(owner: object, name: str):
    """The only ``getattr`` an mmengine checkpoint needs: a statistics method of ``HistoryBuffer``."""
    HistoryBuffer()  # an instance registers mmengine's default statistics (min, max, current, mean)
    if owner is HistoryBuffer and name in HistoryBuffer._statistics_methods:
        return getattr(owner, name)
    raise pickle.UnpicklingError(f'checkpoint asks for getattr({owner!r}, {name!r}); only HistoryBuffer '
                                 'statistics methods are allowed')


def allow_mmengine_checkpoints() -> None:
    """Allowlist mmengine checkpoint types for torch's ``weights_only`` loader."""
    torch.serialization.add_safe_globals(
        [*mmengine_checkpoint_globals(), (history_buffer_statistic, 'builtins.getattr')])


repair_registry_locations()
allow_mmengine_checkpoints()
