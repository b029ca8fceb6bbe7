"""Long-run safety, end to end through tools/train.py and tools/dist_train.sh (docs/reliability.md)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

import multisiam_mm  # noqa: F401  (safe loading of mmengine checkpoints)
from subprocess_runs import ROOT, TINY, free_port, run

THREE_EPOCHS = ['--cfg-options', 'train_cfg.max_epochs=3']


def logged_records(work_dir: Path) -> dict[int, dict]:
    """iteration -> its logged scalars (loss, lr, ema_momentum, ...), over every run (timestamped folder)
    in ``work_dir``."""
    records = {}
    for scalars in sorted(work_dir.glob('*/vis_data/scalars.json')):
        for line in scalars.read_text().splitlines():
            record = json.loads(line)
            if 'loss' in record:
                records[record['iter']] = record
    return records


def logged_losses(work_dir: Path) -> dict[int, float]:
    """iteration -> logged total loss, over every run in ``work_dir``."""
    return {iteration: record['loss'] for iteration, record in logged_records(work_dir).items()}


def final_weights(work_dir: Path) -> dict[str, torch.Tensor]:
    checkpoint = torch.load(work_dir / (work_dir / 'last_checkpoint').read_text().strip().split('/')[-1])
    return checkpoint['state_dict']


def assert_same_weights(a: dict, b: dict, atol: float) -> None:
    assert a.keys() == b.keys()
    for key in a:
        if a[key].is_floating_point():
            assert torch.allclose(a[key], b[key], atol=atol), key


def test_killed_and_resumed_run_matches_an_uninterrupted_one(tmp_path):
    straight, killed = tmp_path / 'straight', tmp_path / 'killed'
    run([sys.executable, 'tools/train.py', TINY, '--work-dir', str(straight), *THREE_EPOCHS])

    proc = subprocess.Popen([sys.executable, 'tools/train.py', TINY, '--work-dir', str(killed), *THREE_EPOCHS],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 600
    while 3 not in logged_losses(killed):  # epoch 1 saved, epoch 2 under way
        assert proc.poll() is None and time.time() < deadline, 'run ended before it could be killed'
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (killed / 'epoch_3.pth').exists()
    result = run([sys.executable, 'tools/train.py', TINY, '--work-dir', str(killed), '--resume', *THREE_EPOCHS])
    assert '--resume: continuing from' in result.stdout + result.stderr

    expected, resumed = logged_losses(straight), logged_losses(killed)
    assert sorted(expected) == sorted(resumed) == [1, 2, 3, 4, 5, 6]
    for iteration in expected:  # same data order, lr, EMA momentum, optimizer state: same losses
        assert resumed[iteration] == pytest.approx(expected[iteration], abs=1e-5), iteration
    assert_same_weights(final_weights(straight), final_weights(killed), atol=1e-5)


def test_two_processes_equal_one_with_the_same_global_batch(tmp_path):
    one, two = tmp_path / 'one', tmp_path / 'two'
    run([sys.executable, 'tools/train.py', TINY, '--work-dir', str(one)])  # batch 4
    run(['bash', 'tools/dist_train.sh', TINY, '2', '--work-dir', str(two),
         '--cfg-options', 'train_dataloader.batch_size=2'], PORT=str(free_port()))
    single, double = logged_losses(one), logged_losses(two)
    assert sorted(single) == sorted(double) == [1, 2]
    for iteration in single:
        assert double[iteration] == pytest.approx(single[iteration], abs=1e-4)
    assert_same_weights(final_weights(one), final_weights(two), atol=1e-4)


def test_a_crashed_worker_ends_the_whole_job_with_its_error(tmp_path):
    start = time.time()
    result = subprocess.run(
        ['bash', 'tools/dist_train.sh', 'tests/fixtures/tiny_crash_on_rank1.py', '2', '--work-dir', str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PYTHON=sys.executable, PORT=str(free_port()),
                 PYTHONPATH=str(ROOT / 'tests/fixtures')))
    assert result.returncode != 0
    assert 'injected fault: rank 1 crashed at iteration 2' in result.stdout + result.stderr
    assert time.time() - start < 300  # ended, not hung in a collective


def write_bad_files(folder: Path) -> list[str]:
    """Every kind of bad file the issue names; returns the names that cannot be decoded."""
    jpeg = (ROOT / 'demo/camvid/train/0001TP_006690.jpg').read_bytes()
    (folder / 'truncated.jpg').write_bytes(jpeg[:len(jpeg) // 3])
    (folder / 'empty.jpg').write_bytes(b'')
    (folder / 'notes.jpg').write_text('not an image')
    Image.fromarray(np.full((90, 120), 128, np.uint8)).save(folder / 'gray.png')
    Image.fromarray(np.full((90, 120, 4), 200, np.uint8)).save(folder / 'rgba.png')
    Image.fromarray(np.full((90, 120), 40000, np.uint16)).save(folder / 'deep16.png')
    Image.fromarray(np.full((12, 16, 3), 90, np.uint8)).save(folder / 'tiny.png')
    return ['truncated.jpg', 'empty.jpg', 'notes.jpg']


def test_training_survives_bad_files_and_names_them(tmp_path):
    data = tmp_path / 'data/train'
    data.mkdir(parents=True)
    for path in sorted((ROOT / 'demo/camvid/train').glob('*.jpg'))[:5]:
        shutil.copy(path, data)
    unreadable = write_bad_files(data)
    result = run([sys.executable, 'tools/train.py', TINY, '--work-dir', str(tmp_path / 'work'),
                  '--cfg-options', f'train_dataloader.dataset.data_root={tmp_path / "data"}/',
                  'train_dataloader.dataset.indices=None', 'train_cfg.max_epochs=2'])
    log = result.stdout + result.stderr
    assert (tmp_path / 'work/epoch_2.pth').exists()  # 12 files, batch 4: 3 iterations an epoch
    for name in unreadable:
        assert f'skipped {data / name}' in log
    assert 'Skipped files so far in this worker' in log
    # one end-of-run summary over all skips: 3 unique files (each possibly met more than once)
    summary = [line for line in log.splitlines() if 'skipped files: 3 unique files' in line]
    assert len(summary) == 1 and all(name in summary[0] for name in unreadable)
    assert 'truncated JPEG' in summary[0] and 'empty file' in summary[0]
    for name in ('gray.png', 'rgba.png', 'deep16.png', 'tiny.png'):
        assert f'skipped {data / name}' not in log  # decodable: used, not skipped
