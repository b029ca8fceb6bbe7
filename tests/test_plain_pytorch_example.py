"""docs/plain_pytorch.md: its python block runs on its own, without a runner, and computes MultiSiam's 2D step.

The block is executed once in a fresh namespace; a global optimizer step pre-hook records the parameters
as they were when the loss was computed, so the loss can be recomputed with the package's own
``MultiSiam.loss_2d`` and the EMA step checked against its formula.
"""
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from torch.optim.optimizer import register_optimizer_step_pre_hook

from multisiam_mm.models.algorithms import MultiSiam
from multisiam_mm.models.heads import ClusterConsistencyHead
from multisiam_mm.structures import box_iou

DOC = Path(__file__).resolve().parents[1] / 'docs/plain_pytorch.md'


def example_source() -> str:
    """The page's only python block."""
    blocks = re.findall(r'^```python\n(.*?)^```$', DOC.read_text(), flags=re.S | re.M)
    assert len(blocks) == 1, f'{DOC} should hold exactly one python block, found {len(blocks)}'
    return blocks[0]


@pytest.fixture(scope='module')
def example():
    """The block's namespace after it ran, and each optimized parameter's value before the step."""
    before_step = {}

    def record(optimizer, args, kwargs):
        for group in optimizer.param_groups:
            for param in group['params']:
                before_step[param] = param.detach().clone()

    handle = register_optimizer_step_pre_hook(record)
    try:
        namespace = {'__name__': 'plain_pytorch_example'}
        exec(compile(example_source(), str(DOC), 'exec'), namespace)
    finally:
        handle.remove()
    return SimpleNamespace(ns=namespace, before_step=before_step)


def test_block_uses_no_runner_config_or_registry():
    source = example_source()
    for name in ('mmengine.runner', 'Runner', 'Config', 'MODELS', '.build(', 'mmselfsup'):
        assert name not in source, f'the plain PyTorch example should not use {name}'


def test_views_overlap_and_maps_have_the_expected_shapes(example):
    ns = example.ns
    boxes = ns['boxes']  # (2, B, 4)
    assert boxes.shape == (2, 2, 4)
    assert (box_iou(boxes[0], boxes[1]) > 0.5).all()
    assert (boxes[..., :2] >= 0).all() and (boxes[..., 2] <= 128).all() and (boxes[..., 3] <= 96).all()
    for maps in (*ns['G'], *ns['G_t']):
        assert maps.shape == (2, 64, 4, 4)  # 112 / 32 rounded up, 64 projector channels


def test_loss_is_multisiam_loss_2d_on_the_same_maps(example):
    """The block's loss equals what the algorithm's ``loss_2d`` computes with a ClusterConsistencyHead built
    from config dicts, holding the predictor's weights as they were at the forward pass."""
    ns = example.ns
    loss = ns['loss'].detach()
    # Eq. (10) per direction is a mean of -cos, in [-1, 1]; the sum over both directions is in [-2, 2]
    assert -2 <= loss.item() <= 2
    head = ClusterConsistencyHead(
        predictor=dict(type='ConvMLPNeck', in_channels=66, hid_channels=256, out_channels=64,
                       norm_cfg=dict(type='BN')),
        loss=dict(type='ClusterConsistencyLoss'),
        attention=dict(type='PixelSelfAttention', power=2),
        clustering=dict(type='ClusterTargets', num_clusters=3))
    predictor = ns['predictor']
    head.predictor.load_state_dict(predictor.state_dict())
    with torch.no_grad():
        for name, param in head.predictor.named_parameters():
            param.copy_(example.before_step[predictor.get_parameter(name)])
        algorithm = SimpleNamespace(head_2d=head, alignment=ns['alignment'])
        expected = MultiSiam.loss_2d(algorithm, [g.detach() for g in ns['G']], ns['G_t'], ns['boxes'])
    torch.testing.assert_close(loss, expected)


def test_step_changes_online_weights_and_target_follows_the_ema(example):
    ns = example.ns
    momentum = ns['momentum']
    online = dict(ns['online'].named_parameters())
    target = dict(ns['target'].named_parameters())
    changed = [name for name, param in online.items() if not torch.equal(param, example.before_step[param])]
    assert len(changed) == len(online), 'every online parameter gets a gradient and moves under SGD'
    assert all(not param.requires_grad for param in target.values())
    for name in ('0.0.weight', '1.conv1.bias'):  # the trunk's first conv and the projector's last
        new, old = online[name], example.before_step[online[name]]  # the target started as a copy of the online net
        expected = momentum * old + (1 - momentum) * new
        assert torch.equal(target[name], expected)
        assert not torch.equal(target[name], old) and not torch.equal(target[name], new)
    # the predictor is online only: it moved too, and the target has no copy of it
    predictor_params = list(ns['predictor'].parameters())
    assert any(not torch.equal(p, example.before_step[p]) for p in predictor_params)
    assert len(target) == len(online)
