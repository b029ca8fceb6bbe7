"""Verify that ``Pretrained`` init really loaded every tensor of the modules it targets.

mmengine's ``PretrainedInit`` loads with ``strict=False`` and only logs missing keys, so a backbone whose
keys do not match the checkpoint (the classic case: mmseg's ``ResNetV1c`` deep stem ``stem.*`` against an
SSL ResNet's plain ``conv1``/``bn1``) trains on with a randomly initialized part and no error.
:func:`check_pretrained_loaded` compares, after init, every parameter and buffer of each module that has a
``Pretrained`` ``init_cfg`` with the checkpoint's tensor, and raises naming what was not loaded.
"""
import re
from dataclasses import dataclass, field
from typing import Optional

import torch
from mmengine.logging import print_log
from mmengine.runner.checkpoint import _load_checkpoint
from torch import Tensor, nn

from .fit import describe_backbone, tensors_under


class PretrainedLoadError(RuntimeError):
    """Raised when a module with a ``Pretrained`` init_cfg does not hold the checkpoint's weights."""


@dataclass
class PretrainedLoadReport:
    """How one module's tensors compare with the checkpoint it was initialized from.

    Args:
        module_name: Dotted name of the module in the model (``'backbone'``, ``'roi_head.shared_head'``).
        checkpoint: The checkpoint path or URL of its ``Pretrained`` init_cfg.
        prefix: The init_cfg's ``prefix`` (``'backbone.'``), ``None`` for a whole-file load.
        loaded: Module keys equal to the checkpoint's tensors.
        missing: Module keys with no checkpoint tensor: they kept their random init.
        mismatched: Module keys whose checkpoint tensor has another shape (skipped by the loader).
        different: Module keys whose values differ from the checkpoint's.
        unused: Checkpoint keys under the prefix that the module does not have.
        module_kind: What the module is, e.g. 'a ResNet-50' (:func:`describe_backbone`), if a ResNet.
        checkpoint_kind: What the selected checkpoint tensors are, likewise.
        checkpoint_prefixes: First key components of the whole checkpoint (``['backbone', 'neck', ...]``).
    """
    module_name: str
    checkpoint: str
    prefix: Optional[str]
    loaded: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    module_kind: Optional[str] = None
    checkpoint_kind: Optional[str] = None
    checkpoint_prefixes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.mismatched or self.different)

    def describe_problems(self) -> str:
        source = f'{self.prefix or ""}* of {self.checkpoint}'
        lines = [f'{self.module_name or "model"}: {len(self.loaded)} tensors loaded from {source}, but']
        for what, keys in (('have no tensor in the checkpoint and keep their random init', self.missing),
                           ('have a different shape in the checkpoint and were skipped', self.mismatched),
                           ('differ from the checkpoint after init (re-initialized after loading?)',
                            self.different)):
            if keys:
                lines.append(f'  {len(keys)} {what}: {_abbreviate(keys)}')
        lines += [f'  cause: {cause}' for cause in self.causes()]
        return '\n'.join(lines)


    def causes(self) -> list[str]:
        """The reasons in words, for the usual ways a pre-training checkpoint misses a downstream model."""
        causes = []
        if any(key.startswith('stem.') for key in self.missing):
            causes.append("this config's backbone is ResNetV1c/V1d (deep stem, stem.*); MultiSiam trains the "
                          "plain stem conv1/bn1: use backbone type='ResNet' (mmseg's and mmdet's '*r50b*' / "
                          "pytorch-style configs) and set model.pretrained=None")
        if (self.checkpoint_kind and self.module_kind and self.checkpoint_kind != self.module_kind
                and 'deep-stem' not in self.module_kind):
            causes.append(f'this checkpoint is {self.checkpoint_kind}, the config\'s backbone {self.module_kind}: '
                          'use a checkpoint of the same depth, or set model.backbone.depth')
        if not self.loaded and self.prefix is None and 'backbone' in self.checkpoint_prefixes:
            causes.append('this checkpoint is a whole pre-training checkpoint (keys backbone.*, neck.*, ...): '
                          "load it with init_cfg prefix='backbone.' (the benchmark configs do), or extract the "
                          'backbone first: tools/model_converters/extract_backbone_weights.py (then '
                          'model.pretrained=that file works)')
        if not self.loaded and not self.unused and self.prefix:
            causes.append(f'the checkpoint has no keys starting with {self.prefix!r}: for a backbone-only '
                          'file (tools/model_converters/extract_backbone_weights.py) drop the prefix')
        return causes


def _abbreviate(keys: list[str], limit: int = 8) -> str:
    shown = ', '.join(keys[:limit])
    return shown + (f', ... ({len(keys) - limit} more)' if len(keys) > limit else '')


def pretrained_init_cfgs(module: nn.Module) -> list[dict]:
    """The ``Pretrained`` entries of a module's own ``init_cfg`` (a dict or a list of dicts)."""
    init_cfg = getattr(module, 'init_cfg', None)
    cfgs = init_cfg if isinstance(init_cfg, (list, tuple)) else [init_cfg]
    return [cfg for cfg in cfgs if isinstance(cfg, dict) and cfg.get('type') == 'Pretrained']


def checkpoint_tensors(checkpoint: str, prefix: Optional[str]) -> dict[str, Tensor]:
    """The tensors ``PretrainedInit`` would load: under ``prefix`` (stripped), else all minus ``module.``.

    Args:
        checkpoint: Local path or URL (``torchvision://``, ``open-mmlab://``, http...).
        prefix: Key prefix to select and strip, as in ``init_cfg=dict(type='Pretrained', prefix=...)``.

    Returns:
        ``{key: tensor}`` on CPU.
    """
    loaded = _load_checkpoint(checkpoint, map_location='cpu')
    state_dict = loaded.get('state_dict', loaded) if isinstance(loaded, dict) else loaded
    if prefix is None:
        return {re.sub(r'^module\.', '', key): value for key, value in state_dict.items()}
    return tensors_under(state_dict, prefix)


def compare_with_checkpoint(module: nn.Module, tensors: dict[str, Tensor], module_name: str,
                            checkpoint: str, prefix: Optional[str]) -> PretrainedLoadReport:
    """Compare each parameter and buffer of ``module`` with ``tensors``: a :class:`PretrainedLoadReport`."""
    report = PretrainedLoadReport(module_name, checkpoint, prefix)
    own = module.state_dict()
    for key, value in own.items():
        if key not in tensors:
            report.missing.append(key)
        elif tuple(tensors[key].shape) != tuple(value.shape):
            report.mismatched.append(key)
        elif not torch.equal(value.detach().cpu(), tensors[key].to(value.dtype)):
            report.different.append(key)
        else:
            report.loaded.append(key)
    report.unused = [key for key in tensors if key not in own]
    report.module_kind = describe_backbone(own)
    report.checkpoint_kind = describe_backbone(tensors)
    if prefix is None:  # the whole checkpoint: its top-level modules
        report.checkpoint_prefixes = sorted({key.split('.')[0] for key in tensors})
    return report


def check_pretrained_loaded(model: nn.Module, raise_error: bool = True) -> list[PretrainedLoadReport]:
    """Check, after ``model.init_weights()``, that every ``Pretrained`` module holds its checkpoint's weights.

    Args:
        model: The initialized model (unwrap DDP first).
        raise_error: Raise :class:`PretrainedLoadError` on any missing, mismatched or different tensor.
            Defaults to True.

    Returns:
        One report per (module, ``Pretrained`` init_cfg); empty when nothing is initialized from a
        checkpoint (a random-init baseline).
    """
    cache: dict[tuple, dict[str, Tensor]] = {}
    reports = []
    for name, module in model.named_modules():
        for cfg in pretrained_init_cfgs(module):
            checkpoint, prefix = cfg.get('checkpoint'), cfg.get('prefix')
            if checkpoint is None:
                raise PretrainedLoadError(
                    f'{name or "model"} has init_cfg {cfg} with checkpoint=None: set the pre-training '
                    'checkpoint (benchmark configs: --checkpoint CKPT or '
                    '--cfg-options pretrain_checkpoint=CKPT)')
            if (checkpoint, prefix) not in cache:
                cache[(checkpoint, prefix)] = checkpoint_tensors(checkpoint, prefix)
            tensors = cache[(checkpoint, prefix)]
            reports.append(compare_with_checkpoint(module, tensors, name, checkpoint, prefix))
    for report in reports:
        if report.ok:
            print_log(f'{report.module_name}: all {len(report.loaded)} tensors equal '
                      f'{report.prefix or ""}* of {report.checkpoint} '
                      f'({len(report.unused)} checkpoint tensors unused)', logger='current')
    problems = [report.describe_problems() for report in reports if not report.ok]
    if problems and raise_error:
        raise PretrainedLoadError('Pretrained init did not load the whole module:\n' + '\n'.join(problems))
    return reports
