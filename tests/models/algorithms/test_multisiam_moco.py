import copy

import pytest
import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmselfsup.registry import MODELS

import multisiam_mm  # noqa: F401
from multisiam_mm.models.algorithms import multisiam_moco
from synthetic_pairs import pair_batch

DIM, WIDTH, QUEUE = 16, 64, 24


def tiny_cfg(**overrides) -> dict:
    """MoCo-based MultiSiam on ResNet-18 with narrow projectors, for CPU tests."""
    cfg = dict(
        type='MultiSiamMoCo',
        queue_len=QUEUE,
        feat_dim=DIM,
        base_momentum=0.9,
        end_momentum=0.9,
        backbone=dict(type='ResNet', depth=18, out_indices=[4], norm_cfg=dict(type='BN')),
        neck=dict(
            type='MultiSiamNeck',
            projector_1d=dict(type='MoCoV2Neck', in_channels=512, hid_channels=WIDTH, out_channels=DIM,
                              with_avg_pool=True),
            projector_2d=dict(
                type='SelfAttentionProjector',
                mlp=dict(type='MoCoV2Neck', in_channels=512, hid_channels=WIDTH, out_channels=DIM,
                         with_avg_pool=False),
                attention=dict(type='PixelSelfAttention'))),
        head=dict(type='ContrastiveHead', loss=dict(type='mmcls.CrossEntropyLoss'), temperature=0.2),
        alignment=dict(type='RoIAlignment'),
        head_2d=dict(
            type='ClusterContrastHead',
            clustering=dict(type='ClusterTargets', num_clusters=3),
            loss=dict(type='PixelInfoNCELoss', temperature=0.2)))
    cfg.update(overrides)
    return cfg


@pytest.fixture(autouse=True)
def max_iters():
    MessageHub.get_current_instance().update_info('max_iters', 10)  # read by CosineEMA


def test_training_iterations_update_online_target_and_queues():
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg())
    model.init_weights()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    inputs, samples = pair_batch()
    online_before = model.backbone.conv1.weight.detach().clone()

    losses = model.loss(inputs, samples)
    assert set(losses) == {'loss_1d', 'loss_2d'}
    assert all(torch.isfinite(v) and v > 0 for v in losses.values())
    # the first EMA update copies the online network
    assert torch.equal(model.target_net.module[0].conv1.weight, online_before)
    # the queues now hold this batch's keys, pushed after the loss: k = normalized momentum projection
    with torch.no_grad():
        keys = F.normalize(model.target_net(inputs[1])[0], dim=1)
    assert torch.allclose(model.queue_1d.keys[:4], keys, atol=1e-5)
    assert int(model.queue_1d.ptr) == 4 and int(model.queue_2d.ptr) == 4
    assert torch.allclose(model.queue_2d.keys.norm(dim=1), torch.ones(QUEUE))

    sum(losses.values()).backward()
    assert model.neck.projector_2d.mlp.mlp[0].weight.grad.abs().sum() > 0  # the 2D branch trains g
    assert all(p.grad is None for p in model.target_net.parameters())
    optimizer.step()
    optimizer.zero_grad()
    online_after = model.backbone.conv1.weight.detach().clone()
    assert not torch.equal(online_after, online_before)

    losses = model.loss(inputs, samples)  # second update: target = m * target + (1 - m) * online
    assert all(torch.isfinite(v) for v in losses.values())
    expected = 0.9 * online_before + 0.1 * online_after  # constant momentum 0.9 (MoCo-style)
    assert torch.allclose(model.target_net.module[0].conv1.weight, expected, atol=1e-6)
    assert int(model.queue_1d.ptr) == 8


def test_shuffled_keys_stay_with_their_boxes_and_flips(monkeypatch):
    """Shuffle BN reorders the key batch; the unshuffled maps must meet their own samples' geometry."""
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg())
    reference = copy.deepcopy(model)
    inputs, samples = pair_batch()

    def reverse(x):
        idx = torch.arange(x.size(0) - 1, -1, -1)
        return x[idx], torch.argsort(idx)

    monkeypatch.setattr(multisiam_moco, 'batch_shuffle', lambda x: (x, torch.arange(x.size(0))))
    plain = reference.loss(inputs, samples)
    monkeypatch.setattr(multisiam_moco, 'batch_shuffle', reverse)
    shuffled = model.loss(inputs, samples)
    for name in plain:
        assert torch.allclose(plain[name], shuffled[name], atol=1e-5), name
    assert torch.allclose(reference.queue_2d.keys, model.queue_2d.keys, atol=1e-5)


def test_loss_weight_1d_one_is_mmselfsup_mocov2():
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg(loss_weight_1d=1.0))
    moco = MODELS.build(dict(
        type='MoCo', queue_len=QUEUE, feat_dim=DIM, momentum=0.999,
        backbone=dict(type='ResNet', depth=18, out_indices=[4], norm_cfg=dict(type='BN')),
        neck=dict(type='MoCoV2Neck', in_channels=512, hid_channels=WIDTH, out_channels=DIM,
                  with_avg_pool=True),
        head=dict(type='ContrastiveHead', loss=dict(type='mmcls.CrossEntropyLoss'), temperature=0.2)))
    moco.backbone.load_state_dict(model.backbone.state_dict())
    moco.neck.load_state_dict(model.neck.projector_1d.state_dict())
    moco.queue.copy_(model.queue_1d.keys.t())  # mmselfsup keeps (feat_dim, queue_len)
    inputs, samples = pair_batch()

    ours = model.loss(inputs, samples)
    theirs = moco.loss(inputs, samples)['loss']
    assert ours['loss_2d'] == 0
    assert torch.allclose(ours['loss_1d'], theirs, atol=1e-5)
    assert torch.allclose(model.queue_1d.keys, moco.queue.t(), atol=1e-5)  # same keys enqueued


def test_no_alignment_trains_too():
    losses = MODELS.build(tiny_cfg(alignment=dict(type='NoAlignment'))).loss(*pair_batch(batch_size=2))
    assert all(torch.isfinite(v) for v in losses.values())


def test_bad_settings_name_the_config_key():
    with pytest.raises(ValueError, match=r'model.loss_weight_1d .* must be in \[0, 1\], got 1.5'):
        MODELS.build(tiny_cfg(loss_weight_1d=1.5))
    with pytest.raises(ValueError, match='model.alignment must not add channels.*got OffsetAlignment'):
        MODELS.build(tiny_cfg(alignment=dict(type='OffsetAlignment')))
