"""Fixes for defects of MMSelfSup 1.0.0, applied when its host part is imported (docs/install.md).

1. :func:`repair_registry_locations`: mmselfsup 1.0.0 declares ``mmselfsup.engine.runner`` as the import
   location of its RUNNERS, RUNNER_CONSTRUCTORS and LOOPS registries, but that module does not exist
   (open-mmlab/mmselfsup#745); with mmengine >= 0.7.1 any Runner built under ``default_scope='mmselfsup'``
   imports the locations and dies with ModuleNotFoundError. Each missing location of mmselfsup's
   registries is pointed at its nearest existing parent package; nothing else of the registries changes.
   mmengine offers no public way to change a registry's locations: ``_locations`` is the one name.
2. :func:`use_numpy1_hue_shift_in_mmselfsup`: mmselfsup's ``ColorJitter`` imported mmcv's ``adjust_hue`` by
   name, so the core's numpy-2 fix (:func:`multisiam_mm.compat.use_numpy1_hue_shift`) is pointed at that
   reference too.
"""
import importlib.util

from ..compat import NUMPY2, use_numpy1_hue_shift


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


def use_numpy1_hue_shift_in_mmselfsup(numpy2: bool = NUMPY2) -> list[str]:
    """Under numpy 2, mmselfsup's reference to mmcv's ``adjust_hue`` too; return the patched modules."""
    return use_numpy1_hue_shift(numpy2, modules=('mmselfsup.datasets.transforms.processing',))


#: what importing the MMSelfSup host part changes upstream, in this order
MMSELFSUP_FIXES = (repair_registry_locations, use_numpy1_hue_shift_in_mmselfsup)
