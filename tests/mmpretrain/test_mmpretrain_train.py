"""MultiSiam and BYOL trained under MMPretrain 1.2 end to end through tools/train.py: preemption and mid-epoch
resume as under MMSelfSup, mmpretrain's own BYOL on the device augmentation, and the same losses as the
MMSelfSup host for the same config, frames, seed and starting weights."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from multisiam_mm.engine import EXIT_PREEMPTED
from subprocess_runs import ROOT, run
from test_preemption import assert_resumed_equals_straight, start, stopped_at, wait_for_iteration
from test_reliability import logged_records

TINY = 'tests/fixtures/mmpretrain/tiny_multisiam_camvid.py'
TINY4 = 'tests/fixtures/mmpretrain/tiny_multisiam_camvid_4iters.py'
TWO_EPOCHS = ['--cfg-options', 'train_cfg.max_epochs=2']
#: the MMSelfSup environment beside this one (tools/setup/install.sh --host both)
MMSELFSUP_PYTHON = os.environ.get('MULTISIAM_MMSELFSUP_PYTHON', str(ROOT / '.venv/bin/python'))
#: the tiny model of tests/fixtures/legacy_54b598e, whose checkpoint both hosts start from
LEGACY_WIDTHS = ['model.backbone.stem_channels=8', 'model.backbone.base_channels=8',
                 'model.neck.projector_1d.in_channels=64', 'model.neck.projector_2d.in_channels=64',
                 'load_from=tests/fixtures/legacy_54b598e/epoch_1.pth']


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


def test_mmpretrains_byol_trains_on_the_device_augmentation(tmp_path):
    run([sys.executable, 'tools/train.py', 'tests/fixtures/mmpretrain/tiny_byol_camvid.py', '--work-dir',
         str(tmp_path)])
    records = logged_records(tmp_path)
    assert sorted(records) == [1, 2]
    # mmpretrain's convention: 1 - tau, from 0.01 at the first move towards 0 (tau 0.99 -> 1)
    assert 0 < records[2]['ema_momentum'] < 0.01
    assert all(0 < record['loss'] < 8 for record in records.values())  # 2 (2 - 2 cos) summed over 2 views


@pytest.mark.skipif(not Path(MMSELFSUP_PYTHON).exists(),
                    reason=f'no MMSelfSup environment at {MMSELFSUP_PYTHON} (install.sh --host mmselfsup)')
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


def train_under(host: str, work_dir: Path, *args: str) -> None:
    """tools/train.py on the tiny config with ``host``'s lines, in that host's environment."""
    if host == 'mmpretrain':
        run([sys.executable, 'tools/train.py', TINY, '--work-dir', str(work_dir), *args])
        return
    env = {key: value for key, value in os.environ.items() if key not in ('VIRTUAL_ENV', 'PYTHONPATH')}
    result = subprocess.run([MMSELFSUP_PYTHON, 'tools/train.py', 'tests/fixtures/tiny_multisiam_camvid.py',
                             '--work-dir', str(work_dir), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def assert_same_losses(a: dict[int, dict], b: dict[int, dict], iterations: list[int]) -> None:
    assert [i for i in sorted(a) if i in iterations] == [i for i in sorted(b) if i in iterations] == iterations
    for iteration in iterations:
        for key in ('loss_1d', 'loss_2d', 'lr', 'ema_momentum'):
            assert a[iteration][key] == pytest.approx(b[iteration][key], abs=1e-5), (iteration, key)
