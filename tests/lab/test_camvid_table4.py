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
