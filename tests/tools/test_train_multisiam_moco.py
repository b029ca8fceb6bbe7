"""configs/multisiam-moco_r50_waymo.py, shrunk, under torchrun on CPU: shuffle BN and the queues'
all-gather with a real process group (gloo)."""

import torch

import multisiam_mm  # noqa: F401  (safe loading of mmengine checkpoints)
from subprocess_runs import free_port, run

TINY_MOCO = 'tests/fixtures/tiny_multisiam_moco_camvid.py'


def test_moco_variant_trains_on_two_cpu_processes(tmp_path):
    run(['bash', 'tools/dist_train.sh', TINY_MOCO, '2', '--work-dir', str(tmp_path)], PORT=str(free_port()))
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu')
    assert checkpoint['meta']['iter'] == 2  # 8 frames over 2 ranks x batch 2
    state = checkpoint['state_dict']
    # each iteration enqueues the keys of both ranks (2 x 2): 8 keys into a 10-key queue
    assert int(state['queue_1d.ptr']) == 8 and int(state['queue_2d.ptr']) == 8
    assert torch.allclose(state['queue_2d.keys'].norm(dim=1), torch.ones(10))
    assert any(key.startswith('target_net.module.1.projector_2d.') for key in state)
