"""The registries the plugin's components register into: mmengine's root registries.

Every OpenMMLab scope's registry (``mmselfsup``, ``mmpretrain``, ``mmseg``, ``mmdet``) is a child of these,
and a child's ``get`` searches its parents when a name is not its own, so a component registered here is
found under either host's ``default_scope`` by its plain name (``type='MultiSiam'``), registered once, with
no host imported (docs/architecture.md). A host's own component of the same name would win in its scope:
tests/test_registration.py checks that no name collides with either host's.
"""
from mmengine.registry import (DATA_SAMPLERS, DATASETS, HOOKS, LOOPS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS,
                               RUNNERS, TRANSFORMS)

__all__ = ['DATA_SAMPLERS', 'DATASETS', 'HOOKS', 'LOOPS', 'MODELS', 'OPTIM_WRAPPER_CONSTRUCTORS', 'RUNNERS',
           'TRANSFORMS']
