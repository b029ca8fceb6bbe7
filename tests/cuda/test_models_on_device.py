"""Whole MultiSiam / MultiSiam-MoCo models on the device (CUDA) give their CPU losses and gradients.

The models are the repo's configs built in the environment's host (its ResNet, projectors and predictor,
the core's algorithm, alignment, clustering and 2D head), so gpu_check.py runs this file under both hosts;
under MMPretrain a config without a twin in configs/mmpretrain/ (MultiSiam-MoCo) is skipped. Tolerance:
the relative error ``||device - cpu|| / ||cpu||`` of every loss and gradient in float32 (TF32 off) must
stay under 1e-3 (a ResNet-18 forward and backward between input and loss; the components alone are held
to 1e-4 in test_components_on_device.py).
"""
import copy

import pytest
import torch
from mmengine.logging import MessageHub

from multisiam_mm.models.algorithms import multisiam_moco

from device_compare import assert_close, build, model_cfg, pair_samples, to

pytestmark = pytest.mark.cuda

MODEL_TOL = 1e-3


@pytest.mark.parametrize('config', ['configs/multisiam_r50_waymo.py', 'configs/multisiam-moco_r50_waymo.py'],
                         ids=['MultiSiam', 'MultiSiam-MoCo'])
def test_whole_model_losses_and_gradients_match_cpu(config, device, host, monkeypatch):
    # MoCo's shuffle BN gathers across processes; one process keeps the batch order (BN does not care)
    monkeypatch.setattr(multisiam_moco, 'batch_shuffle', lambda x: (x, None))
    monkeypatch.setattr(multisiam_moco, 'batch_unshuffle', lambda x, idx: x)
    MessageHub.get_current_instance().update_info('max_iters', 10)
    model = build(model_cfg(config, host)).train()
    gen = torch.Generator().manual_seed(4)
    inputs = [torch.randn(4, 3, 96, 96, generator=gen) for _ in range(2)]
    results = {}
    for where in ('cpu', device):
        copy_ = copy.deepcopy(model).to(where)
        losses = copy_.loss(to(inputs, where), pair_samples(4))
        sum(losses.values()).backward()
        grads = {name: p.grad for name, p in copy_.named_parameters() if p.grad is not None}
        results[where] = (losses, grads)
    assert_close(results[device][0], results['cpu'][0], MODEL_TOL, f'{config} losses')
    assert_close(results[device][1], results['cpu'][1], MODEL_TOL, f'{config} gradients')
