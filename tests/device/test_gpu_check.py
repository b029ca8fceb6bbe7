"""lab/device/gpu_check.py: time boxes, the report, the budget, the training command and its data."""
import os
import subprocess
import sys
import time

import pytest

from tool_scripts import REPO, load_tool

gpu_check = load_tool('lab/device/gpu_check.py')


def alive(pid: int, wait: float = 5.0) -> bool:
    """Whether ``pid`` still runs after up to ``wait`` seconds; a zombie (killed, not yet reaped by init)
    counts as dead."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        try:
            with open(f'/proc/{pid}/stat') as stat:
                if stat.read().rsplit(')', 1)[1].split()[0] == 'Z':
                    return False
        except FileNotFoundError:
            return False
        time.sleep(0.1)
    return True


def test_time_box_kills_the_whole_process_group(tmp_path):
    pid_file = tmp_path / 'child.pid'
    # a child in the background, as torchrun's trainer or a DataLoader worker would be
    cmd = ['bash', '-c', f'sleep 60 & echo $! > {pid_file}; wait']
    start = time.monotonic()
    code, seconds = gpu_check.run_with_timeout(cmd, tmp_path / 'part.log', timeout=1.5)
    assert code is None and 1.4 < seconds < 15 and time.monotonic() - start < 15
    assert not alive(int(pid_file.read_text()))
    log = (tmp_path / 'part.log').read_text()
    assert log.startswith('$ bash -c') and 'killed after 2 s (its time box)' in log


def test_exit_codes_become_statuses(tmp_path):
    code, _ = gpu_check.run_with_timeout([sys.executable, '-c', 'print("hi")'], tmp_path / 'ok.log', timeout=30)
    assert code == 0 and 'hi' in (tmp_path / 'ok.log').read_text()
    code, _ = gpu_check.run_with_timeout([sys.executable, '-c', 'raise SystemExit(3)'], tmp_path / 'bad.log', 30)
    assert gpu_check.status_of(code, 30) == 'failed (exit 3)'
    assert gpu_check.status_of(0, 30) == 'passed' and gpu_check.status_of(None, 30) == 'timed out (30 s)'


def fake_parts(tmp_path):
    """Part commands that pass, fail and overrun, with a summarizer reading the report lines."""
    py = sys.executable

    def make(code):
        return lambda: ([py, '-c', code], gpu_check.section)
    return {'env': make('print("[report] - all good")'),
            'a': make('import sys; print("[report] - broken"); sys.exit(1)'),
            'b': make('import time; time.sleep(30)'),
            'c': make('print("[report] | x | 1.0 |")'),
            'd': make('print("never run")'),
            'e': lambda: (None, None)}


def test_parts_run_in_order_each_in_its_box_and_the_report_says_what_happened(tmp_path, monkeypatch):
    monkeypatch.setattr(gpu_check, 'part_commands', lambda args: fake_parts(tmp_path))
    monkeypatch.setattr(gpu_check, 'MIN_PART_SECONDS', 1)
    args = gpu_check.parse_args(['--device', 'cpu', '--tiny', '--out', str(tmp_path), '--parts', 'env,a,b,c,d,e',
                                 '--budget', '60'])
    report = gpu_check.Report(tmp_path / 'report.md', ['# test'])
    budgets = {'env': 20, 'a': 20, 'b': 2, 'c': 20, 'd': 20, 'e': 20}
    start = time.monotonic()
    gpu_check.run_parts(args, report, budgets)
    assert time.monotonic() - start < 45
    statuses = {r.part: r.status for r in report.results}
    assert statuses['env'] == 'passed' and statuses['a'] == 'failed (exit 1)'
    assert statuses['b'] == 'timed out (2 s)' and statuses['c'] == 'passed'
    assert statuses['e'].startswith('skipped (no command: set MULTISIAM_EVIDENCE_CMD')
    text = (tmp_path / 'report.md').read_text()
    assert '| a. CUDA tests (device vs CPU, fp16 + loss scaling vs fp32), numpy 2 fixes | **failed (exit 1)** |' in text
    assert '- all good' in text and '| x | 1.0 |' in text and 'end of the log:' in text
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ['report.md', 'env.log', 'cuda_tests.log', 'train.log', 'model.log', 'pipeline.log'])


def test_an_exhausted_budget_skips_the_remaining_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(gpu_check, 'part_commands', lambda args: fake_parts(tmp_path))
    monkeypatch.setattr(gpu_check, 'MIN_PART_SECONDS', 1)
    args = gpu_check.parse_args(['--out', str(tmp_path), '--parts', 'b,c', '--budget', '8'])
    report = gpu_check.Report(tmp_path / 'report.md', ['# test'])
    gpu_check.run_parts(args, report, {'b': 100, 'c': 100})  # b gets what is left: 8 s less a 5 s reserve
    assert [r.status for r in report.results] == ['timed out (3 s)', 'skipped (no time left in the budget)']


def test_args_defaults_and_unknown_parts(capsys):
    args = gpu_check.parse_args([])
    assert args.device == 'cuda' and args.parts == ['env', 'a', 'b', 'c', 'd'] and args.budget <= 480
    assert gpu_check.parse_args(['--tiny']).budget == 1200
    with pytest.raises(SystemExit):
        gpu_check.parse_args(['--parts', 'a,z'])
    assert "unknown part(s) ['z']" in capsys.readouterr().err


def test_training_command_is_the_users_with_only_data_and_length_changed(tmp_path):
    args = gpu_check.parse_args(['--device', 'cuda'])
    cmd, rows, iterations = gpu_check.train_command(args, tmp_path / 'data', tmp_path / 'work')
    line = ' '.join(cmd)
    assert ('-m torch.distributed.run --nproc_per_node 1' in line and
            'tools/train.py configs/multisiam_r50_waymo.py --launcher pytorch --amp' in line)
    assert rows == 1280 and iterations == 50  # 10 batches of 128 per epoch, 5 epochs
    options = cmd[cmd.index('--cfg-options') + 1:]
    assert f'train_dataloader.dataset.data_root={tmp_path / "data"}/' in options
    assert not any(o.startswith(('model.', 'train_dataloader.batch_size')) for o in options)  # the paper's model
    assert 'train_cfg.max_epochs=5' in options and 'param_scheduler.0.end=4' in options
    tiny = gpu_check.train_command(gpu_check.parse_args(['--device', 'cpu', '--tiny']), tmp_path, tmp_path)
    assert tiny[2] == 2 and 'model.backbone.depth=18' in tiny[0]


def test_camvid_frames_become_a_waymo_parquet_set_the_main_dataset_reads(tmp_path):
    pytest.importorskip('pyarrow.parquet', exc_type=ImportError)
    from mmengine.registry import init_default_scope

    from multisiam_mm.datasets import WaymoCameraParquet
    init_default_scope('mmselfsup')
    folder = gpu_check.make_camvid_parquet(tmp_path / 'parquet', rows=50)
    assert len(list(folder.glob('*.parquet'))) == 2
    dataset = WaymoCameraParquet(data_root=str(folder), pipeline=[dict(type='LoadImageOrSkip')])
    assert len(dataset) == 50
    assert dataset[0]['img'].shape == (360, 480, 3)  # a real CamVid frame, decoded


def test_train_log_summary_reads_mmengine_lines(tmp_path):
    log = tmp_path / 'train.log'
    log.write_text(
        '    Distributed launcher: pytorch\n    GPU 0: NVIDIA H200\n'
        + ''.join(f'11/29 00:17:47 - mmengine - INFO - Epoch(train) [1][{i:2d}/10]  base_lr: 4.0e-04 lr: 4.0e-04  '
                  f'eta: 0:00:20  time: 0.{i}000  data_time: 0.0{i}00  memory: 4{i}00  loss: -0.{i}168  '
                  f'loss_1d: -0.0320\n' for i in range(1, 6))
        + '11/29 00:18:12 - mmengine - INFO - Saving checkpoint at 5 epochs\n')
    lines = gpu_check.train_summary(log, 50)
    text = '\n'.join(lines)
    assert 'iterations asked: 50; logged: 5 line(s)' in text
    assert 'epoch 1 iter 1/10: loss -0.1168, 0.100 s/iter (window mean), data 0.010 s, 4100 MiB' in text
    assert 'epoch 1 iter 5/10: loss -0.5168' in text and 'iter 2/10' not in text
    assert '`GPU 0: NVIDIA H200`' in text and '`Saving checkpoint at 5 epochs`' in text


def test_shell_wrapper_stops_with_a_clear_message_without_wheels(tmp_path):
    result = subprocess.run(['bash', 'lab/device/gpu_check.sh', '--parts', 'env'], cwd=REPO, capture_output=True,
                            text=True, timeout=60, env=dict(os.environ, WHEELS=str(tmp_path), OUT=str(tmp_path / 'o')))
    assert result.returncode == 2
    assert 'no wheels in' in result.stdout and 'make_wheels.sh' in result.stdout
