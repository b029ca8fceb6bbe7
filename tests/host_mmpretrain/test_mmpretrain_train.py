"""MultiSiam and BYOL trained under MMPretrain 1.2 end to end through tools/train.py: preemption and mid-epoch
resume as under MMSelfSup, and the same losses as the MMSelfSup host (its environment beside this one) for
the same config, frames, seed and starting weights, MultiSiam and each host's own BYOL alike."""
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest
import torch

from lab.benchmark_hosts import PYTHONS, host_environment
from multisiam_mm.engine import EXIT_PREEMPTED
from subprocess_runs import ROOT, free_port, run
from test_preemption import assert_resumed_equals_straight, start, stopped_at, wait_for_iteration
from test_reliability import logged_records

TINY = 'tests/fixtures/mmpretrain/tiny_multisiam_camvid.py'
TINY4 = 'tests/fixtures/mmpretrain/tiny_multisiam_camvid_4iters.py'
TWO_EPOCHS = ['--cfg-options', 'train_cfg.max_epochs=2']
MMSELFSUP_PYTHON = PYTHONS['mmselfsup']  # the MMSelfSup environment beside this one (install.sh --host both)
#: the tiny model of tests/fixtures/legacy_54b598e, whose checkpoint both hosts start from
needs_mmselfsup = pytest.mark.skipif(
    not MMSELFSUP_PYTHON.exists(),
    reason=f'no MMSelfSup environment at {MMSELFSUP_PYTHON} (tools/setup/install.sh --host mmselfsup)')
LEGACY_WIDTHS = ['model.backbone.stem_channels=8', 'model.backbone.base_channels=8',
                 'model.neck.projector_1d.in_channels=64', 'model.neck.projector_2d.in_channels=64',
                 'load_from=tests/fixtures/legacy_54b598e/epoch_1.pth']


def test_main_waymo_config_trains_under_torchrun_on_cpu(tmp_path):
    """The main config (ResNet-50, SyncBN, LARS) under MMPretrain, its data swapped for 8 bundled frames, two
    processes through tools/dist_train.sh: mmpretrain's ResNet, LARS and the core's model and pipeline."""
    run(['bash', 'tools/dist_train.sh', 'tests/fixtures/mmpretrain/waymo_config_on_camvid_frames.py', '2',
         '--work-dir', str(tmp_path)], PORT=str(free_port()))
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu')
    assert checkpoint['meta']['iter'] == 2  # 8 frames over 2 ranks x batch 2
    assert checkpoint['state_dict']['backbone.layer4.2.conv3.weight'].shape == (2048, 512, 1, 1)
    assert all(torch.isfinite(v).all() for v in checkpoint['state_dict'].values() if v.is_floating_point())


def test_sigterm_inside_an_epoch_then_resume_equals_the_straight_run(tmp_path):
    straight, stopped = tmp_path / 'straight', tmp_path / 'stopped'
    run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(straight), *TWO_EPOCHS])
    proc = start([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(stopped), *TWO_EPOCHS])
    wait_for_iteration(proc, stopped, 3)
    os.killpg(proc.pid, signal.SIGTERM)
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == EXIT_PREEMPTED, output[-3000:]
    assert 3 <= stopped_at(stopped) < 8
    run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(stopped), '--resume', *TWO_EPOCHS])
    assert_resumed_equals_straight(straight, stopped)


@needs_mmselfsup
def test_the_same_run_gives_the_same_losses_under_both_hosts(tmp_path):
    """tools/train.py on the same tiny MultiSiam config (8 demo frames, 2 epochs of 2 iterations), the same
    seed and the same starting weights (a checkpoint written under MMSelfSup), once per host, each in its
    own environment: the pipeline, the model's arithmetic and the EMA are the core's, the ResNet, the 1D
    projector and predictor the hosts' (the same operations), so every logged loss agrees to float
    rounding (1e-5; the terms are of order 0.1)."""
    pretrain, selfsup = tmp_path / 'mmpretrain', tmp_path / 'mmselfsup'
    train_under('mmpretrain', pretrain, '--cfg-options', *LEGACY_WIDTHS, 'train_cfg.max_epochs=2')
    train_under('mmselfsup', selfsup, '--cfg-options', *LEGACY_WIDTHS, 'train_cfg.max_epochs=2')
    assert_same_losses(logged_records(pretrain), logged_records(selfsup), [1, 2, 3, 4])

    # a checkpoint of either host resumes under the other: epoch 3 from mmpretrain's epoch_2.pth, both ways
    crossed = tmp_path / 'mmpretrain_then_mmselfsup'
    three_epochs = ['--cfg-options', *LEGACY_WIDTHS[:-1], 'train_cfg.max_epochs=3']
    train_under('mmselfsup', crossed, '--resume', str(pretrain / 'epoch_2.pth'), *three_epochs)
    train_under('mmpretrain', pretrain, '--resume', *three_epochs)
    assert_same_losses(logged_records(pretrain), logged_records(crossed), [5, 6])


@needs_mmselfsup
def test_each_hosts_own_byol_continues_a_run_with_the_same_losses(tmp_path):
    """The BYOL baseline runs mmselfsup's BYOL under one host and mmpretrain's under the other, on the core's
    pipeline and device augmentation. Epoch 2 of a run under MMSelfSup, and the same epoch under MMPretrain
    resumed from that run's epoch_1.pth, log the same losses; mmpretrain's EMA momentum is 1 - mmselfsup's
    tau. (From random init they differ: the hosts initialize their ResNet and necks differently.)"""
    selfsup, pretrain = tmp_path / 'mmselfsup', tmp_path / 'mmpretrain'
    two_epochs = ['--cfg-options', 'train_cfg.max_epochs=2']
    train_under('mmselfsup', selfsup, *two_epochs, config='tests/fixtures/tiny_byol_camvid.py')
    train_under('mmpretrain', pretrain, '--resume', str(selfsup / 'epoch_1.pth'), *two_epochs,
                config='tests/fixtures/mmpretrain/tiny_byol_camvid.py')
    a, b = logged_records(pretrain), logged_records(selfsup)
    assert sorted(a) == [3, 4] and sorted(b) == [1, 2, 3, 4]
    for iteration in a:
        assert a[iteration]['loss'] == pytest.approx(b[iteration]['loss'], abs=1e-5), iteration
        assert a[iteration]['ema_momentum'] == pytest.approx(1 - b[iteration]['ema_momentum'], abs=1e-12)


def train_under(host: str, work_dir: Path, *args: str, config: Optional[str] = None) -> None:
    """tools/train.py in ``host``'s environment, on ``config`` (the tiny MultiSiam config with that host's lines
    by default)."""
    if host == 'mmpretrain':
        run([sys.executable, 'tools/train.py', config or TINY, '--work-dir', str(work_dir), *args])
        return
    result = subprocess.run([str(MMSELFSUP_PYTHON), 'tools/train.py',
                             config or 'tests/fixtures/tiny_multisiam_camvid.py', '--work-dir', str(work_dir), *args],
                            cwd=ROOT, env=host_environment(), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def assert_same_losses(a: dict[int, dict], b: dict[int, dict], iterations: list[int]) -> None:
    assert [i for i in sorted(a) if i in iterations] == [i for i in sorted(b) if i in iterations] == iterations
    for iteration in iterations:
        for key in ('loss_1d', 'loss_2d', 'lr', 'ema_momentum'):
            assert a[iteration][key] == pytest.approx(b[iteration][key], abs=1e-5), (iteration, key)


@needs_mmselfsup
def test_the_host_benchmark_times_the_same_model_under_both():
    """lab/benchmark_hosts.py at toy size: one worker per host, a ratio line (its figure is docs/performance.md's)."""
    result = run([sys.executable, '-m', 'lab.benchmark_hosts', '--depth', '18', '--batch', '2', '--size', '64',
                  '--steps', '1', '--warmup', '0', '--rounds', '1'])
    lines = result.stdout.strip().splitlines()
    assert lines[1].split()[0] == 'mmselfsup' and lines[2].split()[0] == 'mmpretrain'
    assert lines[3].startswith('  ratio mmpretrain / mmselfsup: ')
