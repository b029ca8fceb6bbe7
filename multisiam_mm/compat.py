"""Fixes for defects of the pinned upstream stack: one function per defect (docs/install.md lists them).

Applied on ``import multisiam_mm`` (:data:`IMPORT_TIME_FIXES`), because a user's own entry point runs
upstream code before any of ours (mmengine's ``tools/train.py`` builds the Runner from the registry; an
mmseg fine-tune loads our checkpoint through ``Pretrained`` init); each is narrow and additive:

1. :func:`repair_registry_locations`: mmselfsup 1.0.0 declares ``mmselfsup.engine.runner`` as the import
   location of its RUNNERS, RUNNER_CONSTRUCTORS and LOOPS registries, but that module does not exist
   (open-mmlab/mmselfsup#745); with mmengine >= 0.7.1 any Runner built under ``default_scope='mmselfsup'``
   imports the locations and dies with ModuleNotFoundError. Each missing location of mmselfsup's
   registries is pointed at its nearest existing parent package; nothing else of the registries changes.
2. :func:`allow_mmengine_checkpoints`: torch >= 2.6 loads checkpoints with ``weights_only=True``, while
   mmengine 0.10.7 pickles its ``HistoryBuffer`` and numpy scalars/arrays in ``message_hub``; ``Pretrained``
   init, ``load_from`` and ``--resume`` then fail with UnpicklingError. Exactly those types are added to
   torch's safe-loader allowlist, so the safe loader stays on. numpy 2 renamed ``numpy.core`` to
   ``numpy._core``, so a pickle names ``_reconstruct`` and ``scalar`` either way; both names are allowed.

3. :func:`use_numpy1_hue_shift`: numpy 2 (the GPU machine's numpy, tools/device/) refuses ``np.uint8(x)``
   for a negative float, which mmcv 2.0.1's ``adjust_hue`` computes for every negative hue shift:
   mmselfsup's ColorJitter raises OverflowError in a worker-side pipeline (mmselfsup's own ``MultiView``
   pipelines; ``PerViewAugment`` computes the shift with :func:`hue_shift`). Under numpy 2 only, mmcv's
   function is replaced where mmcv and mmselfsup reference it by :func:`adjust_hue`, whose hue shift is
   numpy 1's value; under numpy 1 nothing changes. At import, so that the configs' colour jitter is right
   however a pipeline is built (an entry point, a user's runner, a plain ``Compose``).

mmengine's ``LocalBackend`` writing checkpoints in place is not patched: the plugin registers an atomic
backend of its own name (:mod:`multisiam_mm.checkpoints.atomic_writes`) that the runtime config selects.
"""
import importlib
import importlib.util
import pickle
from typing import Optional

import cv2
import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from PIL import Image

# numpy 2 moved numpy.core to numpy._core (the old name warns); numpy 1.26 has only a stub of the new one
NUMPY_MULTIARRAY = importlib.import_module(
    'numpy._core.multiarray' if np.lib.NumpyVersion(np.__version__) >= '2.0.0' else 'numpy.core.multiarray')


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
        *numpy_dtypes,
        # under the name the running numpy gives them and under the other numpy major's name
        *[(getattr(NUMPY_MULTIARRAY, name), f'numpy.{core}.multiarray.{name}')
          for name in ('_reconstruct', 'scalar') for core in ('core', '_core')],
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


def hue_shift(hue_factor: float) -> np.uint8:
    """``np.uint8(hue_factor * 255)`` as numpy 1 computes it on x86-64 (truncated toward zero, then modulo
    256), without numpy 2's OverflowError for negative values. Identical to numpy 1.26 on a grid of 100001
    factors in [-0.5, 0.5] (tests/test_compat.py)."""
    return np.uint8(int(hue_factor * 255) % 256)


def adjust_hue(img: np.ndarray, hue_factor: float, backend: Optional[str] = None) -> np.ndarray:
    """mmcv 2.0.1's ``mmcv.image.adjust_hue`` with the hue shift of :func:`hue_shift`; all else unchanged."""
    from mmcv.image import io as mmcv_io
    if backend is None:
        backend = mmcv_io.imread_backend
    if backend not in ['cv2', 'pillow']:
        raise ValueError(f'backend: {backend} is not supported.'
                         f"Supported backends are 'cv2', 'pillow'")
    if not (-0.5 <= hue_factor <= 0.5):
        raise ValueError(f'hue_factor:{hue_factor} is not in [-0.5, 0.5].')
    if not (isinstance(img, np.ndarray) and (img.ndim in {2, 3})):
        raise TypeError('img should be ndarray with dim=[2 or 3].')
    if backend == 'pillow':
        assert img.dtype == np.uint8, 'Pillow backend only support uint8 type'
        pil_image = Image.fromarray(img[..., ::-1], mode='RGB')  # BGR -> RGB
        input_mode = pil_image.mode
        if input_mode in {'L', '1', 'I', 'F'}:
            return pil_image
        h, s, v = pil_image.convert('HSV').split()
        np_h = np.array(h, dtype=np.uint8)
        with np.errstate(over='ignore'):
            np_h += hue_shift(hue_factor)  # uint8 addition wraps around the hue circle
        h = Image.fromarray(np_h, 'L')
        pil_image = Image.merge('HSV', (h, s, v)).convert(input_mode)
        return np.array(pil_image, dtype=img.dtype)[..., ::-1]
    dtype = img.dtype
    img = img.astype(np.uint8)
    hsv_img = cv2.cvtColor(img, cv2.COLOR_BGR2HSV_FULL)
    h, s, v = cv2.split(hsv_img)
    h = h.astype(np.uint8)
    with np.errstate(over='ignore'):
        h += hue_shift(hue_factor)  # uint8 addition wraps around the hue circle
    hsv_img = cv2.merge([h, s, v])
    return cv2.cvtColor(hsv_img, cv2.COLOR_HSV2BGR_FULL).astype(dtype)


MMCV_ADJUST_HUE = None  # mmcv's own function, kept for the tests that compare with it
NUMPY2 = np.lib.NumpyVersion(np.__version__) >= '2.0.0'


def use_numpy1_hue_shift(numpy2: bool = NUMPY2) -> list[str]:
    """Under numpy 2, point every reference to mmcv's ``adjust_hue`` (mmcv, mmcv.image, its module, mmselfsup's
    transforms) at :func:`adjust_hue`; return the patched places (none under numpy 1, where mmcv's function
    is right)."""
    global MMCV_ADJUST_HUE
    if not numpy2:
        return []
    from mmcv.image import photometric
    if photometric.adjust_hue is not adjust_hue:
        MMCV_ADJUST_HUE = photometric.adjust_hue
    patched = []
    for module_name in ('mmcv', 'mmcv.image', 'mmcv.image.photometric', 'mmselfsup.datasets.transforms.processing'):
        module = importlib.import_module(module_name)
        if getattr(module, 'adjust_hue', None) not in (None, adjust_hue):
            module.adjust_hue = adjust_hue
            patched.append(module_name)
    return patched


#: what ``import multisiam_mm`` changes upstream, in this order (tests/test_compat.py lists the effects)
IMPORT_TIME_FIXES = (repair_registry_locations, allow_mmengine_checkpoints, use_numpy1_hue_shift)


def apply_import_time_fixes() -> None:
    for fix in IMPORT_TIME_FIXES:
        fix()
