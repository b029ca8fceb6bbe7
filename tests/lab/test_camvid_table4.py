"""lab/camvid_table4.py's fine-tune lanes: which checkpoint each fine-tune gets, and what waits."""
import json

import lab.camvid_table4 as table4


def test_finetune_jobs_random_init_once_per_seed_then_every_run_twice():
    jobs = table4.finetune_jobs()
    assert jobs[:3] == [('random init', 0, 0), ('random init', 1, 1), ('BYOL', 0, 0)]
    assert len(jobs) == 2 + 10 * 2  # 5 rows x 2 seeds, each with 2 fine-tune seeds


def test_a_lane_finetunes_finished_checkpoints_and_leaves_the_rest(tmp_path, monkeypatch, capsys):
    record = table4.run_dir(tmp_path, 'BYOL', 0) / 'curves.json'
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({'BYOL/150e/seed0/epoch150': {'mIoU': 30.0}}))  # BYOL seed 0 is finished
    calls = []
    monkeypatch.setattr(table4, 'evaluate', lambda config, checkpoint, out, iters, data_root, seed, log_file:
                        calls.append((checkpoint, out, iters, seed)) or 12.5)
    table4.finetune_lane(tmp_path, 300, 'camvid', lane=0, lanes=2)  # jobs 0, 2, 4, ...
    byol = str(tmp_path / 'BYOL_seed0/BYOL/150e/seed0/pretrain/epoch_150.pth')
    assert calls == [('random', str(tmp_path / 'finetune/random_init_seed0/finetune_seed0'), 300, 0),
                     (byol, str(tmp_path / 'finetune/BYOL_seed0/finetune_seed0'), 300, 0)]
    assert 'BYOL seed 1 is not finished; its fine-tune waits' in capsys.readouterr().out
