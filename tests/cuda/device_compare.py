"""Helpers of the ``cuda`` tests: move and compare nested outputs, build components and models from configs
in the scope of the environment's host."""
from typing import Any

import pytest
import torch
from mmengine.model import revert_sync_batchnorm
from mmengine.structures import BaseDataElement

from lab.speed import host_config_path, repo_config
from multisiam_mm.registry import build_model


def to(value: Any, device: str) -> Any:
    """``value`` with every tensor inside (tuples, NamedTuples, lists, dicts) moved to ``device``."""
    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, tuple) and hasattr(value, '_fields'):
        return type(value)(*(to(v, device) for v in value))
    if isinstance(value, (tuple, list)):
        return type(value)(to(v, device) for v in value)
    if isinstance(value, dict):
        return {k: to(v, device) for k, v in value.items()}
    return value


def tensors(value: Any, prefix: str = 'out') -> dict[str, torch.Tensor]:
    """Every tensor inside ``value``, by a path such as ``out.online`` or ``out[1]``."""
    if isinstance(value, torch.Tensor):
        return {prefix: value}
    found = {}
    if isinstance(value, tuple) and hasattr(value, '_fields'):
        for name, v in zip(value._fields, value):
            found.update(tensors(v, f'{prefix}.{name}'))
    elif isinstance(value, (tuple, list)):
        for i, v in enumerate(value):
            found.update(tensors(v, f'{prefix}[{i}]'))
    elif isinstance(value, dict):
        for k, v in value.items():
            found.update(tensors(v, f'{prefix}[{k!r}]'))
    return found


def relative_error(got: torch.Tensor, ref: torch.Tensor, floor: float = 0.0) -> float:
    """``||got - ref|| / max(||ref||, floor)`` in float64 on the CPU (0 when both are zero); NaN never
    passes."""
    got, ref = got.detach().double().cpu(), ref.detach().double().cpu()
    if not torch.isfinite(got).all():
        return float('inf')
    denom = max(ref.norm().item(), floor)
    diff = (got - ref).norm().item()
    return diff if denom == 0 else diff / denom


def assert_close(got: Any, ref: Any, tolerance: float, what: str = '', floor_fraction: float = 1e-3) -> None:
    """Every tensor of ``got`` (any nesting) within ``tolerance`` relative error of ``ref``'s, same shapes
    and dtypes; integer and bool tensors exactly equal. A tensor whose reference is nearly zero (a bias
    before BatchNorm has a zero gradient in exact arithmetic) is measured against ``floor_fraction`` of
    the largest reference norm instead of its own."""
    got_t, ref_t = tensors(got), tensors(ref)
    assert got_t.keys() == ref_t.keys(), f'{what}: outputs differ in structure: {got_t.keys()} vs {ref_t.keys()}'
    floats = [r.detach().double().norm().item() for r in ref_t.values() if r.is_floating_point()]
    floor = floor_fraction * max(floats, default=0.0)
    for path, ref_value in ref_t.items():
        value = got_t[path]
        assert value.shape == ref_value.shape and value.dtype == ref_value.dtype, \
            f'{what} {path}: {value.shape} {value.dtype} vs {ref_value.shape} {ref_value.dtype}'
        if ref_value.is_floating_point():
            error = relative_error(value, ref_value, floor)
            assert error <= tolerance, f'{what} {path}: relative error {error:.2e} > {tolerance:.0e}'
        else:
            assert torch.equal(value.cpu(), ref_value.cpu()), f'{what} {path}: integer/bool values differ'


def model_cfg(config: str, host: str) -> dict:
    """``model`` of a repo config (under MMPretrain its twin in ``configs/mmpretrain/``; a test without one
    is skipped) at ResNet-18 (its 2048-channel inputs become 512), SyncBN as BN later."""
    if not host_config_path(config, host).exists():
        pytest.skip(f'{config} has no MMPretrain twin in configs/mmpretrain/')
    cfg = repo_config(config, host).model

    def shrink(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == 'in_channels' and value == 2048:
                    node[key] = 512
                elif key == 'depth' and value == 50:
                    node[key] = 18
                elif key == 'queue_len':
                    node[key] = 256
                else:
                    shrink(value)
        elif isinstance(node, list):
            for value in node:
                shrink(value)
    cfg = cfg.to_dict()
    shrink(cfg)
    return cfg


def build(cfg: dict, seed: int = 0) -> torch.nn.Module:
    """The component or model of ``cfg`` in the host's scope, initialized from ``seed``, SyncBN reverted to
    BN, on the CPU."""
    torch.manual_seed(seed)
    module = revert_sync_batchnorm(build_model(cfg))
    if hasattr(module, 'init_weights'):
        module.init_weights()
    return module


def pair_samples(batch: int) -> list:
    """Data samples with the pair geometry the pipeline packs (``PackViews``, either host): overlapping
    boxes, some views flipped."""
    return [BaseDataElement(crop_boxes=torch.tensor([[0.0, 0, 200, 200], [40.0 + 7 * i, 30, 220, 210]]),
                            flipped=torch.tensor([i % 2 == 0, i % 3 == 0])) for i in range(batch)]
