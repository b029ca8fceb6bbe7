"""OnlineOptimWrapperConstructor: the momentum target is left out in one line, the rest as mmengine does it."""
import logging

import pytest
import torch
from mmengine.logging import MMLogger
from torch import nn

from multisiam_mm.engine import OnlineOptimWrapperConstructor


class WithTarget(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4))
        self.target_net = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4)).requires_grad_(False)


def test_the_target_is_left_out_whole_and_the_paramwise_options_still_apply(monkeypatch):
    logged, upstream = [], []
    monkeypatch.setattr('multisiam_mm.engine.online_optim_wrapper_constructor.print_log',
                        lambda message, **kwargs: logged.append(message))
    monkeypatch.setattr('mmengine.optim.optimizer.default_constructor.print_log',
                        lambda message, **kwargs: upstream.append(message))
    model = WithTarget()
    cfg = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1, weight_decay=1e-4))
    paramwise = dict(custom_keys={'backbone.1': dict(decay_mult=0)})
    wrapper = OnlineOptimWrapperConstructor(cfg, paramwise_cfg=paramwise)(model)
    groups = wrapper.optimizer.param_groups
    trainable = {id(p) for p in model.backbone.parameters()}
    assert {id(p) for group in groups for p in group['params']} == trainable  # the four online tensors
    assert sorted(group['weight_decay'] for group in groups) == [0, 0, 1e-4, 1e-4]  # BN without decay
    assert logged == ['optimizer: target_net left out (4 tensors, none trainable)',
                      "optimizer: paramwise_cfg {'custom_keys': {'backbone.1': {'decay_mult': 0}}} applied over "
                      "4 tensors (each tensor's options at log_level='DEBUG')"]
    assert not any('requires_grad=False' in message for message in upstream)  # no per-tensor warning
    assert any('backbone.1' in message for message in upstream)  # mmengine's paramwise lines still come
    assert isinstance(wrapper.optimizer, torch.optim.SGD)


@pytest.mark.parametrize('level, per_tensor_lines', [(logging.INFO, 0), (logging.DEBUG, 12)])
def test_per_tensor_paramwise_lines_come_only_at_debug(level, per_tensor_lines):
    """At INFO (every config's log_level) no ``paramwise_options`` line; at DEBUG one per online tensor
    option: 4 tensors x 3 options (lr, weight_decay and the custom key's decay_mult)."""
    logger = MMLogger.get_instance(f'paramwise_test_{level}', log_level=logging.getLevelName(level))
    records = []
    handler = logging.Handler(level)
    handler.emit = records.append
    logger.addHandler(handler)
    cfg = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1, weight_decay=1e-4))
    before = logger.level
    OnlineOptimWrapperConstructor(cfg, paramwise_cfg=dict(custom_keys={'backbone': dict(decay_mult=0)}))(WithTarget())
    messages = [record.getMessage() for record in records]
    assert sum(m.startswith('paramwise_options --') for m in messages) == per_tensor_lines
    assert logger.level == before  # restored
