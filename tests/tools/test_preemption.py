"""Long runs lose minutes, not epochs: a kill or a preemption inside an epoch, then --resume, equals the
uninterrupted run (docs/reliability.md). Through tools/train.py and tools/dist_train.sh, on CPU."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

import multisiam_mm  # noqa: F401  (safe loading of mmengine checkpoints)
from multisiam_mm.engine import EXIT_PREEMPTED
from subprocess_runs import ROOT, free_port, run
from test_reliability import assert_same_weights, final_weights, logged_losses

TINY4 = 'tests/fixtures/tiny_multisiam_camvid_4iters.py'  # 4 iterations an epoch, snapshot every 2
TWO_EPOCHS = ['--cfg-options', 'train_cfg.max_epochs=2']  # 8 iterations


def start(cmd: list[str], **env: str) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, env=dict(os.environ, PYTHON=sys.executable, **env))


def wait_for_iteration(proc: subprocess.Popen, work_dir: Path, iteration: int) -> None:
    deadline = time.time() + 600
    while iteration not in logged_losses(work_dir):
        assert proc.poll() is None and time.time() < deadline, 'the run ended before the signal'
        time.sleep(0.1)


def assert_resumed_equals_straight(straight: Path, resumed: Path) -> None:
    expected, got = logged_losses(straight), logged_losses(resumed)
    assert sorted(expected) == sorted(got) == list(range(1, 9))
    for iteration in expected:  # same samples, augmentations, lr, EMA momentum, optimizer state
        assert got[iteration] == pytest.approx(expected[iteration], abs=1e-5), iteration
    assert_same_weights(final_weights(straight), final_weights(resumed), atol=1e-5)


@pytest.fixture(scope='module')
def straight(tmp_path_factory) -> Path:
    work_dir = tmp_path_factory.mktemp('straight')
    run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(work_dir), *TWO_EPOCHS])
    return work_dir


def test_iteration_snapshots_are_written_and_only_the_newest_kept(straight):
    assert sorted(p.name for p in straight.glob('iter_*.pth')) == ['iter_6.pth', 'iter_8.pth']
    assert sorted(p.name for p in straight.glob('epoch_*.pth')) == ['epoch_1.pth', 'epoch_2.pth']


def test_sigkill_inside_an_epoch_then_resume_equals_the_straight_run(straight, tmp_path):
    proc = start([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), *TWO_EPOCHS])
    wait_for_iteration(proc, tmp_path, 7)  # epoch 2, batch 3: iter_6.pth is the newest snapshot
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (tmp_path / 'epoch_2.pth').exists()
    result = run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), '--resume', *TWO_EPOCHS])
    log = result.stdout + result.stderr
    assert 'iter_6.pth' in log and 'resuming epoch 2 at batch 3 of 4' in log
    assert_resumed_equals_straight(straight, tmp_path)


def test_sigterm_stops_at_an_iteration_boundary_and_resume_equals_the_straight_run(straight, tmp_path):
    proc = start([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), *TWO_EPOCHS])
    wait_for_iteration(proc, tmp_path, 3)
    os.killpg(proc.pid, signal.SIGTERM)
    time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGTERM)  # a second signal while stopping changes nothing
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == EXIT_PREEMPTED, output[-3000:]
    stopped_at = int((tmp_path / 'last_checkpoint').read_text().strip().split('iter_')[-1].split('.')[0])
    assert 3 <= stopped_at < 8  # after the iteration under way when the signal came, not at an epoch end
    assert torch.load(tmp_path / f'iter_{stopped_at}.pth', map_location='cpu')['meta']['iter'] == stopped_at
    assert max(logged_losses(tmp_path)) == stopped_at
    run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), '--resume', *TWO_EPOCHS])
    assert_resumed_equals_straight(straight, tmp_path)


def test_sigterm_stops_two_processes_together_and_resume_equals_their_straight_run(tmp_path):
    straight, stopped = tmp_path / 'straight', tmp_path / 'stopped'
    per_rank = ['--cfg-options', 'train_cfg.max_epochs=2', 'train_dataloader.batch_size=1']  # global 2
    run(['bash', 'tools/dist_train.sh', TINY4, '2', '--work-dir', str(straight), *per_rank],
        PORT=str(free_port()))
    proc = start(['bash', 'tools/dist_train.sh', TINY4, '2', '--work-dir', str(stopped), *per_rank],
                 PORT=str(free_port()))
    wait_for_iteration(proc, stopped, 3)
    os.killpg(proc.pid, signal.SIGTERM)  # torchrun and both workers, as Slurm signals a job step
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode != 0, output[-3000:]
    assert 'preempted: saved' in output
    assert (stopped / 'last_checkpoint').read_text().strip().split('/')[-1].startswith('iter_')
    run(['bash', 'tools/dist_train.sh', TINY4, '2', '--work-dir', str(stopped), '--resume', *per_rank],
        PORT=str(free_port()))
    assert_resumed_equals_straight(straight, stopped)


def test_with_accumulation_a_preemption_completes_the_window_and_resume_equals_the_straight_run(tmp_path):
    """Accumulation over 2 iterations: the stop waits for the window's optimizer step (an even iteration),
    so the resumed run's windows are the uninterrupted run's."""
    straight, stopped = tmp_path / 'straight', tmp_path / 'stopped'
    accumulate = [*TWO_EPOCHS, 'optim_wrapper.accumulative_counts=2']
    run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(straight), *accumulate])
    proc = start([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(stopped), *accumulate])
    wait_for_iteration(proc, stopped, 3)  # inside the window of iterations 3-4 (or later)
    os.killpg(proc.pid, signal.SIGTERM)
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == EXIT_PREEMPTED, output[-3000:]
    stopped_at = int((stopped / 'last_checkpoint').read_text().strip().split('iter_')[-1].split('.')[0])
    assert stopped_at % 2 == 0 and stopped_at >= 4
    run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(stopped), '--resume', *accumulate])
    assert_resumed_equals_straight(straight, stopped)
