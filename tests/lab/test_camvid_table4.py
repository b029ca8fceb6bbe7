"""lab/camvid_table4.py's fine-tune lanes: which checkpoint each fine-tune gets, and what waits."""
import torch

import lab.camvid_table4 as table4


def test_finetune_jobs_random_init_once_per_seed_then_every_run_twice():
    jobs = table4.finetune_jobs()
    assert jobs[:3] == [('random init', 0, 0), ('random init', 1, 1), ('BYOL', 0, 0)]
    assert len(jobs) == 2 + 10 * 2  # 5 rows x 2 seeds, each with 2 fine-tune seeds


def test_a_lane_finetunes_finished_checkpoints_and_leaves_the_rest(tmp_path, monkeypatch, capsys):
    # BYOL seed 0 has pre-trained its 150 epochs (its instruments not measured yet); seed 1 stopped at 125
    byol = table4.pretrain_dir(tmp_path, 'BYOL', 0) / 'epoch_150.pth'
    byol.parent.mkdir(parents=True)
    byol.touch()
    (byol.parent / 'finished_checkpoint').write_text(f'{byol}\n')
    unfinished = table4.pretrain_dir(tmp_path, 'BYOL', 1) / 'epoch_125.pth'
    unfinished.parent.mkdir(parents=True)
    unfinished.touch()
    calls = []
    monkeypatch.setattr(table4, 'evaluate', lambda config, checkpoint, out, iters, data_root, seed, log_file:
                        calls.append((checkpoint, out, iters, seed)) or 12.5)
    table4.finetune_lane(tmp_path, 300, 'camvid', lane=0, lanes=2)  # jobs 0, 2, 4, ...
    assert calls == [('random', str(tmp_path / 'finetune/random_init_seed0/finetune_seed0'), 300, 0),
                     (str(byol), str(tmp_path / 'finetune/BYOL_seed0/finetune_seed0'), 300, 0)]
    assert str(byol) == str(tmp_path / 'BYOL_seed0/BYOL/150e/seed0/pretrain/epoch_150.pth')
    assert 'BYOL seed 1 is not finished; its fine-tune waits' in capsys.readouterr().out


def test_status_reads_each_stage_from_the_runs_files(tmp_path):
    assert table4.status(tmp_path, 'BYOL', 0) == 'not started'
    pretrain = table4.pretrain_dir(tmp_path, 'BYOL', 0)
    pretrain.mkdir(parents=True)
    torch.save({'meta': {'epoch': 125}}, pretrain / 'epoch_125.pth')  # a checkpoint torch can load
    assert table4.status(tmp_path, 'BYOL', 0) == f'resumes from {pretrain / "epoch_125.pth"}'
    (pretrain / 'epoch_150.pth').touch()
    (pretrain / 'finished_checkpoint').write_text(f'{pretrain / "epoch_150.pth"}\n')
    assert table4.status(tmp_path, 'BYOL', 0).startswith('pre-trained 150 epochs')
    record = table4.run_dir(tmp_path, 'BYOL', 0) / 'curves.json'
    record.write_text('{"BYOL/150e/seed0/epoch150": {"mIoU": 30.0}}')
    assert table4.status(tmp_path, 'BYOL', 0) == 'finished (measured at epoch 150)'


def test_a_runs_command_keeps_checkpoints_to_resume_from_and_measures_the_final_one(tmp_path):
    args = table4.argparse.Namespace(epochs=150, data_root='/data/camvid', workers=None)
    cmd = table4.curves_command(tmp_path, 'BYOL + IoU threshold', 1, args)
    assert cmd[1:] == ['-m', 'lab.camvid_curves', '--methods', 'BYOL + IoU threshold', '--epochs', '150',
                       '--every', '25', '--measure-every', '150', '--seed', '1', '--data-root', '/data/camvid',
                       '--work-dir', str(tmp_path / 'BYOL_+_IoU_threshold_seed1')]
    args.epochs, args.workers = 2, 14  # a rehearsal: fewer epochs than the checkpoint interval
    cmd = table4.curves_command(tmp_path, 'BYOL', 0, args)
    assert cmd[cmd.index('--every'):cmd.index('--seed')] == ['--every', '2', '--measure-every', '2']
    assert cmd[-4:-2] == ['--workers', '14']


def test_instruments_of_a_shorter_run_are_read_at_its_own_final_epoch(tmp_path):
    record = table4.run_dir(tmp_path, 'BYOL', 0) / 'curves.json'
    record.parent.mkdir(parents=True)
    record.write_text('{"BYOL/2e/seed0/epoch2": {"mIoU": 21.0}, "random init/seed0": {"mIoU": 20.0}}')
    assert table4.instruments(tmp_path, 'BYOL', 0, epochs=2) == {'mIoU': 21.0}
    assert table4.instruments(tmp_path, 'BYOL', 0) == {}  # no 150-epoch record
    assert table4.instruments(tmp_path, 'random init', 0, epochs=2) == {'mIoU': 20.0}


def test_a_lane_runs_its_share_of_the_jobs_in_order_up_to_max_runs(tmp_path, monkeypatch):
    commands = []
    monkeypatch.setattr(table4.subprocess, 'run', lambda cmd, cwd, check: commands.append(cmd))
    monkeypatch.setattr(table4.sys, 'argv', ['camvid_table4', '--lane', '1', '--lanes', '2', '--max-runs', '2',
                                             '--work-dir', str(tmp_path), '--data-root', '/data/camvid'])
    table4.main()
    assert [(cmd[cmd.index('--methods') + 1], cmd[cmd.index('--seed') + 1]) for cmd in commands] == [
        ('BYOL', '1'), ('MultiSiam', '1')]  # JOBS 1 and 3: BYOL and MultiSiam, seed 1
