"""MultiSiam-MM: MultiSiam (Chen et al., ICCV 2021) for the OpenMMLab stack.

The package is the host-free core: it imports torch, torchvision, mmengine and mmcv, never a
self-supervised host. Importing it registers every component into mmengine's root registries, where
both hosts' scopes find them, and applies the fixes that must hold before any of its code runs
(:data:`multisiam_mm.compat.IMPORT_TIME_FIXES`, each narrow and additive; docs/install.md). A config
imports its host's part, which imports the core:
``custom_imports = dict(imports=['multisiam_mm.mmselfsup'], allow_failed_imports=False)`` with
``default_scope='mmselfsup'``, or ``['multisiam_mm.mmpretrain']`` with ``default_scope='mmpretrain'``.
"""
from . import compat

compat.apply_import_time_fixes()  # first: checkpoints load safely before a Runner is built

from . import checkpoints, datasets, engine, models, views  # noqa: E402,F401  (registers the components)

__version__ = '0.1.0'
