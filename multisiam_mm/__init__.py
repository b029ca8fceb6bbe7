"""MultiSiam-MM: MultiSiam (Chen et al., ICCV 2021) for the OpenMMLab stack.

Importing the package registers every component: into mmselfsup's registries, and the host-free ones (such
as :mod:`multisiam_mm.views`) into mmengine's root registries, which every host's scope searches; the
``atomic_local`` file backend into mmengine's. It applies the two fixes that must hold before any of its
code runs (:data:`multisiam_mm.compat.IMPORT_TIME_FIXES`, each narrow and additive; docs/install.md);
configs load it with ``custom_imports = dict(imports=['multisiam_mm'], allow_failed_imports=False)``.
"""
from . import compat

compat.apply_import_time_fixes()  # first: the registries' locations before a Runner is built from them

from . import checkpoints, datasets, engine, models, views  # noqa: E402,F401  (registers the components)

__version__ = '0.1.0'
