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
    """Part steps that pass, fail and overrun, with a summarizer reading the report lines."""
    py = sys.executable

    def make(*codes):
        return lambda: ([gpu_check.Step(host, [py, '-c', code]) for host, code in zip(gpu_check.HOSTS, codes)],
                        gpu_check.section)
    return {'env': make('print("[report] - all good")', 'print("[report] - good too")'),
            'a': make('import sys; print("[report] - broken"); sys.exit(1)', 'print("[report] - still run")'),
            'b': make('import time; time.sleep(30)', 'print("[report] - not started")'),
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
    assert f'| {gpu_check.TITLES["a"]} | **failed (exit 1)** |' in text
    assert '- all good' in text and '- good too' in text and '| x | 1.0 |' in text and 'end of the log:' in text
    assert '\n- still run\n' in text and '\n- not started\n' not in text  # a failed step does not stop the next; time does
    assert (tmp_path / 'env.log').read_text().count(gpu_check.HOST_MARKER) == 2
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
    assert rows == 1280 and iterations == 30  # 10 batches of 128 per epoch, 3 epochs
    options = cmd[cmd.index('--cfg-options') + 1:]
    assert f'train_dataloader.dataset.data_root={tmp_path / "data"}/' in options
    assert not any(o.startswith(('model.', 'train_dataloader.batch_size')) for o in options)  # the paper's model
    assert 'train_cfg.max_epochs=3' in options and 'param_scheduler.0.end=2' in options
    twin, _, _ = gpu_check.train_command(args, tmp_path / 'data', tmp_path / 'work', host='mmpretrain')
    assert twin[twin.index('tools/train.py') + 1] == 'configs/mmpretrain/multisiam_r50_waymo.py'
    assert (REPO / 'configs/mmpretrain/multisiam_r50_waymo.py').exists()
    assert twin[twin.index('--cfg-options'):] == cmd[cmd.index('--cfg-options'):]  # the same run otherwise
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


def mmengine_run(iterations: range, loss_digit: int) -> str:
    """What a run's log holds: launcher facts, mmengine's iteration lines, the checkpoint."""
    return ('    Distributed launcher: pytorch\n    GPU 0: NVIDIA H200\n'
            + ''.join(f'11/29 00:17:47 - mmengine - INFO - Epoch(train) [1][{i:2d}/10]  base_lr: 4.0e-04 '
                      f'lr: 4.0e-04  eta: 0:00:20  time: 0.{i}000  data_time: 0.0{i}00  memory: 4{i}00  '
                      f'loss: -0.{i}16{loss_digit}  loss_1d: -0.0320\n' for i in iterations)
            + '11/29 00:18:12 - mmengine - INFO - Saving checkpoint at 5 epochs\n')


def test_train_log_summary_reads_mmengine_lines():
    text = '\n'.join(gpu_check.train_summary(mmengine_run(range(1, 6), 8), 50))
    assert 'iterations asked: 50; logged: 5 line(s)' in text
    assert 'epoch 1 iter 1/10: loss -0.1168, 0.100 s/iter (window mean), data 0.010 s, 4100 MiB' in text
    assert 'epoch 1 iter 5/10: loss -0.5168' in text and 'iter 2/10' not in text
    assert '`GPU 0: NVIDIA H200`' in text and '`Saving checkpoint at 5 epochs`' in text


def test_both_hosts_runs_are_summarized_and_their_losses_put_side_by_side(tmp_path):
    log = tmp_path / 'train.log'
    log.write_text(f'{gpu_check.HOST_MARKER}mmselfsup\n{mmengine_run(range(1, 4), 1)}'
                   f'{gpu_check.HOST_MARKER}mmpretrain\n{mmengine_run(range(1, 3), 2)}')
    text = '\n'.join(gpu_check.train_report(log, 3))
    assert '- **mmselfsup** (`configs/multisiam_r50_waymo.py`):' in text
    assert '- **mmpretrain** (`configs/mmpretrain/multisiam_r50_waymo.py`):' in text
    assert '  - iterations asked: 3; logged: 3 line(s)' in text and '  - iterations asked: 3; logged: 2 line(s)' in text
    assert '| epoch | iter | loss (mmselfsup) | loss (mmpretrain) |' in text
    assert '| 1 | 1 | -0.1161 | -0.1162 |' in text and '| 1 | 3 | -0.3161 | - |' in text


def test_each_host_sees_its_install_folder_and_the_shared_one_never_the_others(tmp_path):
    (tmp_path / 'setuptools').mkdir()
    path = gpu_check.host_pythonpath(tmp_path, 'mmpretrain').split(os.pathsep)
    assert path == [str(REPO), str(tmp_path / 'mmpretrain'), str(tmp_path / 'shared'), str(tmp_path / 'setuptools')]
    assert str(tmp_path / 'mmselfsup') not in gpu_check.host_pythonpath(tmp_path, 'mmpretrain')


def test_shell_wrapper_stops_with_a_clear_message_without_wheels(tmp_path):
    result = subprocess.run(['bash', 'lab/device/gpu_check.sh', '--parts', 'env'], cwd=REPO, capture_output=True,
                            text=True, timeout=60, env=dict(os.environ, WHEELS=str(tmp_path), OUT=str(tmp_path / 'o')))
    assert result.returncode == 2
    assert 'no wheels in' in result.stdout and 'make_wheels.sh' in result.stdout


def test_part_a_runs_the_core_once_and_what_the_host_builds_under_both(tmp_path):
    steps, _ = gpu_check.part_commands(gpu_check.parse_args(['--device', 'cpu', '--scratch', str(tmp_path)]))['a']()
    assert [step.host for step in steps] == ['mmselfsup', 'mmpretrain']
    assert 'tests/cuda' in steps[0].cmd and 'tests/device/test_numpy2_compat.py' in steps[0].cmd
    assert steps[1].cmd[-len(gpu_check.HOST_DEPENDENT_TESTS):] == list(gpu_check.HOST_DEPENDENT_TESTS)
    assert all((REPO / path).is_file() for path in gpu_check.HOST_DEPENDENT_TESTS)
