"""Long runs lose minutes, not epochs: a kill or a preemption inside an epoch, then --resume, equals the
uninterrupted run (docs/reliability.md). Through tools/train.py and tools/dist_train.sh, on CPU, with the
signal delivered as clusters deliver it: to every process of the run, dataloader workers included."""
import os
import shutil
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
from test_reliability import assert_same_weights, final_weights, logged_losses, logged_records

TINY4 = 'tests/fixtures/tiny_multisiam_camvid_4iters.py'  # 4 iterations an epoch, snapshot every 2
TWO_EPOCHS = ['--cfg-options', 'train_cfg.max_epochs=2']  # 8 iterations
WORKERS = ['train_dataloader.num_workers=2', 'train_dataloader.persistent_workers=True']


def start(cmd: list[str], **env: str) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, env=dict(os.environ, PYTHON=sys.executable, **env))


def wait_for_iteration(proc: subprocess.Popen, work_dir: Path, iteration: int) -> None:
    deadline = time.time() + 600
    while iteration not in logged_losses(work_dir):
        assert proc.poll() is None and time.time() < deadline, 'the run ended before the signal'
        time.sleep(0.1)


def stopped_at(work_dir: Path) -> int:
    """The iteration of the checkpoint ``last_checkpoint`` names (an ``iter_{n}.pth``)."""
    return int((work_dir / 'last_checkpoint').read_text().strip().split('iter_')[-1].split('.')[0])


def assert_resumed_equals_straight(straight: Path, resumed: Path) -> None:
    expected, got = logged_losses(straight), logged_losses(resumed)
    assert sorted(expected) == sorted(got) == list(range(1, 9))
    for iteration in expected:  # same samples, augmentations, lr, EMA momentum, optimizer state
        assert got[iteration] == pytest.approx(expected[iteration], abs=1e-5), iteration
    assert_same_weights(final_weights(straight), final_weights(resumed), atol=1e-5)


def assert_continues_the_schedule_and_the_samples(straight: Path, resumed: Path, stop: int) -> None:
    """A resume on another number of processes (same total batch) continues the straight run's iterations
    with its lr and EMA momentum, and its first iteration sees the straight run's samples from the same
    weights: the same loss up to float rounding (another batch of these frames differs by 1e-2 and more).
    Later iterations are not compared: one process and two reduce in another order, and the differences
    of rounding grow over steps in this tiny model (its 2 x 2 maps' K-means assignments flip), as they
    do between straight 1- and 2-process runs."""
    expected, got = logged_records(straight), logged_records(resumed)
    assert [iteration for iteration in sorted(got) if iteration > stop] == list(range(stop + 1, 9))
    for iteration in range(stop + 1, 9):
        assert got[iteration]['lr'] == pytest.approx(expected[iteration]['lr'], rel=1e-9), iteration
        assert got[iteration]['ema_momentum'] == pytest.approx(expected[iteration]['ema_momentum'], rel=1e-9)
    assert got[stop + 1]['loss'] == pytest.approx(expected[stop + 1]['loss'], abs=1e-4)


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


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGUSR1])
def test_a_signal_to_the_whole_group_with_dataloader_workers_checkpoints_and_exits_143(straight, tmp_path, signum):
    """Slurm and ``kill -- -PGID`` signal the main process and its dataloader workers alike: the workers
    leave it to the main process, which checkpoints; the resumed run (workers again) equals the straight
    one (workers 0: per-sample seeds make the batches independent of the workers)."""
    options = [*TWO_EPOCHS, *WORKERS]
    proc = start([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), *options])
    wait_for_iteration(proc, tmp_path, 3)
    os.killpg(proc.pid, signum)
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == EXIT_PREEMPTED, output[-3000:]
    assert 'is killed by signal' not in output
    assert stopped_at(tmp_path) >= 3
    run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), '--resume', *options])
    assert_resumed_equals_straight(straight, tmp_path)


def test_under_timeout_the_run_checkpoints_and_exits_143(tmp_path):
    """``timeout`` passes the signal it gets (or its own, at the limit) to the command's whole group."""
    proc = start(['timeout', '600', sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path),
                  *TWO_EPOCHS, *WORKERS])
    wait_for_iteration(proc, tmp_path, 3)
    os.kill(proc.pid, signal.SIGTERM)  # to timeout alone, which signals the group as at its limit
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == EXIT_PREEMPTED, output[-3000:]
    assert stopped_at(tmp_path) >= 3


def test_sigterm_stops_at_an_iteration_boundary_and_resume_equals_the_straight_run(straight, tmp_path):
    proc = start([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), *TWO_EPOCHS])
    wait_for_iteration(proc, tmp_path, 3)
    os.killpg(proc.pid, signal.SIGTERM)
    time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGTERM)  # a second signal while stopping changes nothing
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == EXIT_PREEMPTED, output[-3000:]
    stop = stopped_at(tmp_path)
    assert 3 <= stop < 8  # after the iteration under way when the signal came, not at an epoch end
    assert torch.load(tmp_path / f'iter_{stop}.pth', map_location='cpu')['meta']['iter'] == stop
    assert max(logged_losses(tmp_path)) == stop
    run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), '--resume', *TWO_EPOCHS])
    assert_resumed_equals_straight(straight, tmp_path)


@pytest.fixture(scope='module')
def two_processes(tmp_path_factory) -> dict:
    """A straight 2-process run (batch 1 each: total 2) and one stopped by SIGTERM to its whole process
    group (the launcher script, torchrun, both trainers and their dataloader workers) at iteration >= 3."""
    straight, stopped = tmp_path_factory.mktemp('straight2'), tmp_path_factory.mktemp('stopped2')
    per_rank = [*TWO_EPOCHS, 'train_dataloader.batch_size=1', 'train_dataloader.num_workers=1']
    run(['bash', 'tools/dist_train.sh', TINY4, '2', '--work-dir', str(straight), *per_rank], PORT=str(free_port()))
    proc = start(['bash', 'tools/dist_train.sh', TINY4, '2', '--work-dir', str(stopped), *per_rank],
                 PORT=str(free_port()))
    wait_for_iteration(proc, stopped, 3)
    os.killpg(proc.pid, signal.SIGTERM)
    output, _ = proc.communicate(timeout=300)
    return dict(straight=straight, stopped=stopped, per_rank=per_rank, output=output, status=proc.returncode)


def test_sigterm_to_the_launchers_group_stops_both_trainers_with_a_checkpoint_and_exit_143(two_processes):
    output = two_processes['output']
    assert two_processes['status'] == EXIT_PREEMPTED, output[-3000:]
    assert 'preempted: saved' in output and 'is killed by signal' not in output
    assert stopped_at(two_processes['stopped']) >= 3


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, children first."""
    children = [int(c) for c in subprocess.run(['pgrep', '-P', str(pid)], capture_output=True,
                                               text=True).stdout.split()]
    return children + [d for child in children for d in descendants(child)]


def test_sigterm_to_every_process_one_by_one_stops_with_a_checkpoint_and_exit_143(tmp_path):
    """As Slurm delivers a preemption (to each process of the step, not to one process group): the launcher
    script, torchrun, both trainers and their dataloader workers each get SIGTERM, torchrun and the
    trainers then a second one from their parent."""
    per_rank = [*TWO_EPOCHS, 'train_dataloader.batch_size=1', 'train_dataloader.num_workers=1',
                'train_dataloader.persistent_workers=True']
    proc = start(['bash', 'tools/dist_train.sh', TINY4, '2', '--work-dir', str(tmp_path), *per_rank],
                 PORT=str(free_port()))
    wait_for_iteration(proc, tmp_path, 3)
    everyone = [proc.pid, *descendants(proc.pid)]
    assert len(everyone) >= 6  # the script, torchrun, 2 trainers, 2 workers
    for pid in everyone:
        os.kill(pid, signal.SIGTERM)
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == EXIT_PREEMPTED, output[-3000:]
    assert 'preempted: saved' in output and 'is killed by signal' not in output
    assert stopped_at(tmp_path) >= 3


def test_two_processes_stopped_then_resumed_equal_their_straight_run(two_processes, tmp_path):
    shutil.copytree(two_processes['stopped'], tmp_path, dirs_exist_ok=True)
    run(['bash', 'tools/dist_train.sh', TINY4, '2', '--work-dir', str(tmp_path), '--resume',
         *two_processes['per_rank']], PORT=str(free_port()))
    assert_resumed_equals_straight(two_processes['straight'], tmp_path)


def test_two_processes_resumed_on_one_are_refused_unless_the_total_batch_is_kept(two_processes, tmp_path):
    """2 -> 1: batch 1 per process would halve the total batch and double the iterations an epoch; the
    refusal names the batch that keeps it, and with it the run ends where the 2-process run ends (the
    same samples per iteration, gradients averaged by DDP = the mean over one process's batch of 2)."""
    shutil.copytree(two_processes['stopped'], tmp_path, dirs_exist_ok=True)
    resume = [sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), '--resume', *TWO_EPOCHS]
    refused = subprocess.run([*resume, 'train_dataloader.batch_size=1'], cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode != 0
    assert 'keep the total batch on 1 processes: --cfg-options train_dataloader.batch_size=2' in refused.stderr
    assert 'Nothing was trained' in refused.stderr
    assert stopped_at(tmp_path) == stopped_at(two_processes['stopped'])  # no checkpoint written
    resumed = run([*resume, 'train_dataloader.batch_size=2'])
    assert 'resuming on 1 processes a run of 2' in resumed.stdout + resumed.stderr
    assert_continues_the_schedule_and_the_samples(two_processes['straight'], tmp_path,
                                                  stopped_at(two_processes['stopped']))


def test_one_process_resumed_on_two_is_refused_unless_the_per_process_batch_halves(straight, tmp_path):
    """1 -> 2: from the straight run's iter_6.pth (batch 2, one process)."""
    shutil.copy(straight / 'iter_6.pth', tmp_path / 'iter_6.pth')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_6.pth'))
    resume = ['bash', 'tools/dist_train.sh', TINY4, '2', '--work-dir', str(tmp_path), '--resume', *TWO_EPOCHS]
    refused = subprocess.run(resume, cwd=ROOT, capture_output=True, text=True,
                             env=dict(os.environ, PYTHON=sys.executable, PORT=str(free_port())))
    assert refused.returncode != 0
    assert 'keep the total batch on 2 processes: --cfg-options train_dataloader.batch_size=1' in refused.stderr
    resumed = run([*resume, 'train_dataloader.batch_size=1'], PORT=str(free_port()))
    assert 'resuming on 2 processes a run of 1' in resumed.stdout + resumed.stderr
    assert_continues_the_schedule_and_the_samples(straight, tmp_path, 6)


def test_a_launcher_killed_by_sigkill_takes_its_trainers_down_with_a_checkpoint(tmp_path):
    """torchrun killed without a word: each trainer gets SIGTERM from the kernel (PR_SET_PDEATHSIG),
    checkpoints and stops instead of training on into the work dir; --resume then starts at once."""
    per_rank = [*TWO_EPOCHS, 'train_dataloader.batch_size=1']
    proc = start(['bash', 'tools/dist_train.sh', TINY4, '2', '--work-dir', str(tmp_path), *per_rank],
                 PORT=str(free_port()))
    wait_for_iteration(proc, tmp_path, 3)
    torchrun = int(subprocess.run(['pgrep', '-P', str(proc.pid)], capture_output=True, text=True).stdout.split()[0])
    trainers = [int(pid) for pid in subprocess.run(['pgrep', '-P', str(torchrun)], capture_output=True,
                                                   text=True).stdout.split()]
    assert len(trainers) == 2
    os.kill(torchrun, signal.SIGKILL)
    proc.communicate(timeout=300)
    deadline = time.time() + 120
    while any(Path(f'/proc/{pid}').exists() for pid in trainers) and time.time() < deadline:
        time.sleep(0.2)
    assert not any(Path(f'/proc/{pid}').exists() for pid in trainers), 'trainers outlived their launcher'
    assert stopped_at(tmp_path) >= 3 and max(logged_losses(tmp_path)) < 8
    run(['bash', 'tools/dist_train.sh', TINY4, '2', '--work-dir', str(tmp_path), '--resume', *per_rank],
        PORT=str(free_port()))
    assert max(logged_losses(tmp_path)) == 8


def test_a_second_run_into_a_live_runs_work_dir_is_refused_naming_it(tmp_path):
    # 200 iterations: the first run must outlive the second's start-up on a loaded machine (with 8 it once
    # finished first, and the second then resumed its finished run, rightly)
    long_run = ['--cfg-options', 'train_cfg.max_epochs=50']
    proc = start([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), *long_run])
    wait_for_iteration(proc, tmp_path, 1)
    second = subprocess.run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(tmp_path), '--resume',
                             *long_run], cwd=ROOT, capture_output=True, text=True)
    first_still_running = proc.poll() is None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert first_still_running
    assert second.returncode != 0
    assert 'is in use by a live run (host ' in second.stderr and f'pid {proc.pid}' in second.stderr


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
    assert stopped_at(stopped) % 2 == 0 and stopped_at(stopped) >= 4
    run([sys.executable, 'tools/train.py', TINY4, '--work-dir', str(stopped), '--resume', *accumulate])
    assert_resumed_equals_straight(straight, stopped)
