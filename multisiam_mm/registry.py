"""The registries the plugin's components register into: mmengine's root registries.

Every OpenMMLab scope's registry (``mmselfsup``, ``mmpretrain``, ``mmseg``, ``mmdet``) is a child of these,
and a child's ``get`` searches its parents when a name is not its own, so a component registered here is
found under either host's ``default_scope`` by its plain name (``type='MultiSiam'``), registered once, with
no host imported (docs/architecture.md). A host's own component of the same name would win in its scope:
tests/test_registration.py checks that no name collides with either host's.
"""
import importlib
import sys
from typing import Optional

from mmengine.registry import (DATA_SAMPLERS, DATASETS, HOOKS, LOOPS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS,
                               RUNNERS, TRANSFORMS, DefaultScope)
from torch import nn

__all__ = ['DATA_SAMPLERS', 'DATASETS', 'HOOKS', 'HOST_SCOPES', 'LOOPS', 'MODELS', 'OPTIM_WRAPPER_CONSTRUCTORS',
           'RUNNERS', 'TRANSFORMS', 'build_model', 'host_part', 'host_scope', 'import_host_part']

HOST_SCOPES = ('mmselfsup', 'mmpretrain')  # each has a part of its own: host_part(scope)


def host_part(scope: str) -> str:
    """The module of the plugin that adapts the core to the host of ``scope``."""
    return f'multisiam_mm.{scope}'


def import_host_part(scope: Optional[str]) -> None:
    """Import the host part of ``scope`` (a no-op for another scope, or when a config's ``custom_imports``
    already did). Never for two hosts in one process: docs/install.md."""
    if scope in HOST_SCOPES:
        importlib.import_module(host_part(scope))


def host_scope() -> Optional[str]:
    """The scope the core builds in: the current default scope (a Runner sets its config's), else the
    scope of the one host part this process imported (``multisiam_mm.mmselfsup`` or ``.mmpretrain``)."""
    current = DefaultScope.get_current_instance()
    if current is not None:
        return current.scope_name
    imported = [scope for scope in HOST_SCOPES if host_part(scope) in sys.modules]
    return imported[0] if len(imported) == 1 else None


def build_model(cfg: dict) -> nn.Module:
    """Build ``cfg`` by name in :func:`host_scope`: a core module's parts may be the host's (``ResNet``,
    ``NonLinearNeck``, ``LatentPredictHead``) or the core's, found from the host's scope alike."""
    with MODELS.switch_scope_and_registry(host_scope()) as registry:
        return registry.build(cfg)
