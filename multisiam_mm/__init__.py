"""MultiSiam-MM: MultiSiam (Chen et al., ICCV 2021) for the OpenMMLab stack.

Importing the package applies :mod:`multisiam_mm.compat` and registers every component into
mmselfsup's registries; configs load it with
``custom_imports = dict(imports=['multisiam_mm'], allow_failed_imports=False)``.
"""
from . import compat  # noqa: F401  (first: repairs mmselfsup registries, allowlists checkpoint types)
from . import datasets, engine, models  # noqa: F401

__version__ = '0.1.0'
