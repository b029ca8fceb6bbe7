"""tools/train.py and tools/dist_train.sh on this CPU machine (the tests run from the repo root)."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import torch

import multisiam_mm  # noqa: F401  (safe loading of mmengine checkpoints)

ROOT = Path(__file__).resolve().parents[2]
TINY = 'tests/fixtures/tiny_multisiam_camvid.py'


def run(cmd: list[str], **extra_env: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHON=sys.executable, **extra_env)
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_train_runs_two_iterations_on_cpu_and_writes_a_checkpoint(tmp_path):
    result = run([sys.executable, 'tools/train.py', TINY, '--work-dir', str(tmp_path)])
    assert 'No CUDA device: training on CPU' in result.stdout + result.stderr
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu')  # torch's safe loader
    assert checkpoint['meta']['iter'] == 2  # 8 frames / batch 4
    assert any(key.startswith('target_net.') for key in checkpoint['state_dict'])
    assert (tmp_path / 'last_checkpoint').read_text().strip().endswith('epoch_1.pth')


def test_dist_train_runs_two_cpu_processes(tmp_path):
    result = run(['bash', 'tools/dist_train.sh', TINY, '2', '--work-dir', str(tmp_path)],
                 PORT=str(free_port()))
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu')
    assert checkpoint['meta']['iter'] == 1  # 8 frames over 2 ranks x batch 4
    assert 'gloo' in result.stdout + result.stderr


def test_main_waymo_config_trains_under_torchrun_on_cpu(tmp_path):
    """configs/multisiam_r50_waymo.py (ResNet-50, SyncBN, LARS) with only its data swapped."""
    run(['bash', 'tools/dist_train.sh', 'tests/fixtures/waymo_config_on_camvid_frames.py', '2',
         '--work-dir', str(tmp_path)], PORT=str(free_port()))
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu')
    assert checkpoint['meta']['iter'] == 2  # 8 frames over 2 ranks x batch 2
    assert checkpoint['state_dict']['backbone.layer4.2.conv3.weight'].shape == (2048, 512, 1, 1)
