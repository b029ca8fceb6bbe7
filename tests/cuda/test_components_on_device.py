"""Each 2D component on the device (CUDA) gives its CPU result: the alignments (Eq. 3-7), batched K-means
and the cluster targets, the self-attention (Eq. 8, 9), the 2D head with its loss (Eq. 10).

The components are built through the MODELS registry from the repo's own configs (the main config and
the Table 2b/3b/9 and App. B.1 ablations), so every variant a user can pick is covered. They are the
host-free core's, the same under either host (gpu_check.py runs this file under MMSelfSup only).
Tolerance: the relative error ``||device - cpu|| / ||cpu||`` of every output and gradient in float32
(TF32 off) must stay under 1e-4 (``COMPONENT_TOL``); K-means assignments must be identical.
"""
import copy

import pytest
import torch

from multisiam_mm.models.clustering import batched_kmeans

from device_compare import assert_close, build, model_cfg, to

pytestmark = pytest.mark.cuda

COMPONENT_TOL = 1e-4
# configs whose alignment / 2D head differ: main (offset, K-means cosine, attention), Table 2b (none, offset
# without normalization, RoI), Table 3b (Euclidean K-means), Table 9 (residual attention), App. B.1 (no K-means)
VARIANTS = ['configs/multisiam_r50_waymo.py',
            'configs/ablations/table2b_align-none_r50_waymo.py',
            'configs/ablations/table2b_align-offset-nonorm_r50_waymo.py',
            'configs/ablations/table2b_align-roi_r50_waymo.py',
            'configs/ablations/table3b_euclidean_r50_waymo.py',
            'configs/ablations/table9_roi-residual_r50_waymo.py',
            'configs/ablations/appB1_wo-kmeans_r50_waymo.py']
B, C, H, W = 4, 32, 7, 7


def maps_and_boxes(seed: int = 0):
    """Online and target maps ``(B, C, H, W)`` and crop boxes ``(B, 4)`` overlapping by various amounts."""
    gen = torch.Generator().manual_seed(seed)
    online, target = (torch.randn(B, C, H, W, generator=gen) for _ in range(2))
    online_boxes = torch.tensor([[0.0, 0, 200, 200], [10, 20, 300, 260], [50, 0, 250, 180], [0, 0, 120, 90]])
    target_boxes = torch.tensor([[40.0, 30, 220, 210], [0, 0, 280, 300], [60, 10, 240, 200], [100, 80, 200, 150]])
    return online, target, online_boxes, target_boxes


def grads_of(loss: torch.Tensor, *leaves: torch.Tensor, module: torch.nn.Module = None) -> dict:
    """Gradients of ``loss`` w.r.t. the leaves and the module's parameters, by name."""
    loss.backward()
    found = {f'input[{i}]': leaf.grad for i, leaf in enumerate(leaves)}
    if module is not None:
        found.update({name: p.grad for name, p in module.named_parameters() if p.grad is not None})
    return found


@pytest.mark.parametrize('config', VARIANTS, ids=lambda c: c.rsplit('/', 1)[-1][:-3])
def test_alignment_and_2d_head_match_cpu(config, device, host):
    cfg = model_cfg(config, host)
    alignment = build(cfg['alignment'])
    head_cfg = copy.deepcopy(cfg['head_2d'])
    extra = getattr(alignment, 'extra_channels', 0)
    head_cfg['predictor'].update(in_channels=C + extra, hid_channels=64, out_channels=C)
    head = build(head_cfg)
    results = {}
    for where in ('cpu', device):
        online, target, online_boxes, target_boxes = to(maps_and_boxes(), where)
        online.requires_grad_(True)
        align, head_2d = copy.deepcopy(alignment).to(where), copy.deepcopy(head).to(where)
        aligned = align(online, target, online_boxes, target_boxes)
        loss = head_2d(aligned)
        assert loss.dim() == 0 and torch.isfinite(loss)
        results[where] = (aligned, loss, grads_of(loss, online, module=head_2d))
    assert_close(results[device][0], results['cpu'][0], COMPONENT_TOL, f'{config} alignment')
    assert_close(results[device][1], results['cpu'][1], COMPONENT_TOL, f'{config} 2D loss')
    assert_close(results[device][2], results['cpu'][2], COMPONENT_TOL, f'{config} gradients')


@pytest.mark.parametrize('config', ['configs/multisiam_r50_waymo.py',
                                    'configs/ablations/table9_roi-residual_r50_waymo.py'],
                         ids=['main', 'residual'])
def test_self_attention_matches_cpu(config, device, host):
    attention = build(model_cfg(config, host)['head_2d']['attention'])
    results = {}
    for where in ('cpu', device):
        local_pred, features = (x.to(where).requires_grad_(True) for x in maps_and_boxes(1)[:2])
        out = copy.deepcopy(attention).to(where)(local_pred, features)
        results[where] = (out, grads_of(out.square().sum(), local_pred, features))
    assert_close(results[device], results['cpu'], COMPONENT_TOL, 'attention')


def blobs(batch: int, cells: int, channels: int, k: int, seed: int) -> torch.Tensor:
    """``(batch, cells, channels)`` points in ``k`` well-separated groups per image: unambiguous clusters."""
    gen = torch.Generator().manual_seed(seed)
    centres = torch.randn(batch, k, channels, generator=gen) * 4
    labels = torch.randint(0, k, (batch, cells), generator=gen)
    return centres.gather(1, labels[..., None].expand(-1, -1, channels)) + 0.3 * torch.randn(
        batch, cells, channels, generator=gen)


@pytest.mark.parametrize('shape', [(16, 49, 64), (128, 49, 256)], ids=['B16', 'B128'])
def test_batched_kmeans_matches_cpu(shape, device):
    points = blobs(*shape, k=3, seed=2)
    ref = batched_kmeans(points, 3)
    got = batched_kmeans(points.to(device), 3)
    assert_close(got, ref, COMPONENT_TOL, 'batched_kmeans')


@pytest.mark.parametrize('config', ['configs/multisiam_r50_waymo.py',
                                    'configs/ablations/table3b_euclidean_r50_waymo.py'], ids=['cosine', 'euclidean'])
def test_cluster_targets_match_cpu(config, device, host):
    clustering = build(model_cfg(config, host)['head_2d']['clustering'])
    target_map = blobs(B, H * W, C, k=3, seed=3).transpose(1, 2).reshape(B, C, H, W).contiguous()
    ref = clustering(target_map)
    got = copy.deepcopy(clustering).to(device)(target_map.to(device))
    assert_close(got, ref, COMPONENT_TOL, 'ClusterTargets')
