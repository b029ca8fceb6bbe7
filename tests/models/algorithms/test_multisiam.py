import math

import pytest
import torch
from mmengine.logging import MessageHub
from mmselfsup.registry import MODELS

import multisiam_mm  # noqa: F401
from synthetic_pairs import pair_batch


def tiny_cfg(**overrides) -> dict:
    """MultiSiam on ResNet-18 with narrow projectors, for CPU tests."""
    cfg = dict(
        type='MultiSiam',
        base_momentum=0.9,
        backbone=dict(type='ResNet', depth=18, out_indices=[4], norm_cfg=dict(type='BN')),
        neck=dict(
            type='MultiSiamNeck',
            projector_1d=dict(type='NonLinearNeck', in_channels=512, hid_channels=64, out_channels=32,
                              with_bias=True, with_last_bn=False, norm_cfg=dict(type='BN1d')),
            projector_2d=dict(type='ConvMLPNeck', in_channels=512, hid_channels=64, out_channels=32,
                              norm_cfg=dict(type='BN'))),
        head=dict(
            type='LatentPredictHead',
            predictor=dict(type='NonLinearNeck', in_channels=32, hid_channels=64, out_channels=32,
                           with_bias=True, with_last_bn=False, with_avg_pool=False,
                           norm_cfg=dict(type='BN1d')),
            loss=dict(type='CosineSimilarityLoss')),
        alignment=dict(type='OffsetAlignment'),
        head_2d=dict(
            type='ClusterConsistencyHead',
            predictor=dict(type='ConvMLPNeck', in_channels=34, hid_channels=64, out_channels=32,
                           norm_cfg=dict(type='BN')),
            attention=dict(type='PixelSelfAttention'),
            clustering=dict(type='ClusterTargets', num_clusters=3),
            loss=dict(type='ClusterConsistencyLoss')))
    cfg.update(overrides)
    return cfg


@pytest.fixture(autouse=True)
def max_iters():
    MessageHub.get_current_instance().update_info('max_iters', 10)


def test_training_iterations_update_online_and_keep_target_as_ema():
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg())
    model.init_weights()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    inputs, samples = pair_batch()
    online_before = model.backbone.conv1.weight.detach().clone()

    losses = model.loss(inputs, samples)
    assert set(losses) == {'loss_1d', 'loss_2d'}
    assert all(torch.isfinite(v) for v in losses.values())
    # the first EMA update copies the online network
    assert torch.equal(model.target_net.module[0].conv1.weight, online_before)
    sum(losses.values()).backward()
    optimizer.step()
    optimizer.zero_grad()
    online_after = model.backbone.conv1.weight.detach().clone()
    assert not torch.equal(online_after, online_before)

    model.loss(inputs, samples)  # second update: target = m * target + (1 - m) * online
    m = 1.0 - (1.0 - 0.9) * (math.cos(math.pi * 1 / 10) + 1) / 2  # CosineEMA at step 1 of 10
    expected = m * online_before + (1 - m) * online_after
    assert torch.allclose(model.target_net.module[0].conv1.weight, expected, atol=1e-6)


@pytest.mark.parametrize('overrides', [
    dict(alignment=dict(type='RoIAlignment')),
    dict(alignment=dict(type='NoAlignment')),
])
def test_alignments_without_offsets_need_a_plain_predictor(overrides):
    with pytest.raises(ValueError, match='head_2d.predictor.in_channels must be 32'):
        MODELS.build(tiny_cfg(**overrides))
    cfg = tiny_cfg(**overrides)
    cfg['head_2d']['predictor']['in_channels'] = 32
    model = MODELS.build(cfg)
    losses = model.loss(*pair_batch(batch_size=2))
    assert all(torch.isfinite(v) for v in losses.values())


def test_loss_weight_1d_extremes_switch_branches_off():
    inputs, samples = pair_batch(batch_size=2)
    only_1d = MODELS.build(tiny_cfg(loss_weight_1d=1.0)).loss(inputs, samples)
    assert only_1d['loss_2d'] == 0 and only_1d['loss_1d'] != 0
    only_2d = MODELS.build(tiny_cfg(loss_weight_1d=0.0)).loss(inputs, samples)
    assert only_2d['loss_1d'] == 0 and only_2d['loss_2d'] != 0


def test_loss_weight_1d_out_of_range_is_rejected():
    with pytest.raises(ValueError, match=r'loss_weight_1d .* must be in \[0, 1\], got 1.5'):
        MODELS.build(tiny_cfg(loss_weight_1d=1.5))


def test_an_unknown_alignment_is_named_with_the_registered_ones():
    registered = r"\['NoAlignment', 'OffsetAlignment', 'RoIAlignment'\]"
    with pytest.raises(ValueError, match=rf"alignment.type must be one of the registered alignments {registered}, "
                                         r"got 'OffsetAlignmentt'"):
        MODELS.build(tiny_cfg(alignment=dict(type='OffsetAlignmentt')))
