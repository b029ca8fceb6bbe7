"""The mini-reproduction's bookkeeping (the runs themselves are the demo's and benchmarks' steps)."""
import json
from types import SimpleNamespace

import pytest

from lab import camvid_minirepro as minirepro
from lab import camvid_runs
from lab.camvid_runs import last_metric


def test_pretraining_frames_are_train_and_val_images_without_labels(tmp_path):
    (tmp_path / 'train.txt').write_text('a\nb\n')
    (tmp_path / 'val.txt').write_text('c\n')
    frames = minirepro.frame_list(tmp_path, tmp_path / 'frames.txt')
    assert frames.read_text().split() == ['train/a.jpg', 'train/b.jpg', 'val/c.jpg']
    assert minirepro.frame_list(tmp_path, tmp_path / 'two.txt', limit=2).read_text().split() == \
        ['train/a.jpg', 'train/b.jpg']


def test_every_method_gets_the_same_recipe_but_its_own_lr_scale(tmp_path):
    budget = minirepro.BUDGETS['cpu']
    lars = minirepro.pretrain_options(budget['epochs'], 1, tmp_path / 'f.txt', tmp_path, base_lr=1.0)
    moco = minirepro.pretrain_options(budget['epochs'], 1, tmp_path / 'f.txt', tmp_path, base_lr=0.03)
    assert 'optim_wrapper.optimizer.lr=1.0' in lars  # per 256 images: the runner scales it to 0.125
    assert 'optim_wrapper.optimizer.lr=0.03' in moco
    assert [o for o in lars if 'lr=' not in o] == [o for o in moco if 'lr=' not in o]
    assert 'param_scheduler.1.begin=1' in lars and 'train_cfg.max_epochs=10' in lars  # 1 warm-up epoch
    assert 'randomness.seed=1' in lars
    with pytest.raises(ValueError, match='at least 2 epochs'):
        minirepro.pretrain_options(1, 0, tmp_path, tmp_path, 1.0)


def test_table_gives_mean_and_sample_std_over_seeds():
    runs = [dict(method='MultiSiam', probe_miou=20.0, finetune_miou=30.0),
            dict(method='MultiSiam', probe_miou=22.0, finetune_miou=30.0)]
    row = minirepro.table(runs, ['BYOL', 'MultiSiam']).splitlines()[-1]
    assert row == '| MultiSiam | 21.00 ± 1.41 | 30.00 ± 0.00 | 2 |'  # stdev of (20, 22) = sqrt(2)


def test_results_are_read_back_from_the_work_dir(tmp_path):
    assert last_metric(str(tmp_path)) is None
    (tmp_path / '20261126_000000/vis_data').mkdir(parents=True)
    (tmp_path / '20261126_000000/vis_data/scalars.json').write_text(
        json.dumps({'loss': 1.0, 'step': 1}) + '\n' + json.dumps({'mIoU': 23.5, 'step': 2}) + '\n')
    assert last_metric(str(tmp_path)) == 23.5


def test_pretraining_reuses_a_finished_run_and_resumes_an_interrupted_one(tmp_path, monkeypatch):
    import torch
    commands = []

    def fake_train(cmd, log_file=None):  # tools/train.py: writes epoch_2.pth and points at it
        commands.append(cmd)
        torch.save({'state_dict': {}}, tmp_path / 'epoch_2.pth')
        (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_2.pth'))
    monkeypatch.setattr(camvid_runs, 'run_step', fake_train)
    assert camvid_runs.pretrain('c.py', str(tmp_path)) == str(tmp_path / 'epoch_2.pth')
    assert '--resume' not in commands[0]  # nothing to resume
    assert camvid_runs.pretrain('c.py', str(tmp_path)) == str(tmp_path / 'epoch_2.pth')
    assert len(commands) == 1  # finished: reused
    (tmp_path / 'finished_checkpoint').unlink()  # as if killed after epoch 2 of more
    camvid_runs.pretrain('c.py', str(tmp_path))
    assert commands[1][-1] == '--resume'


def test_a_work_dir_holds_one_budget(tmp_path):
    minirepro.claim_work_dir(tmp_path / 'runs', 'cpu')
    minirepro.claim_work_dir(tmp_path / 'runs', 'cpu')  # resuming the same budget is fine
    with pytest.raises(ValueError, match="budget 'cpu', not 'gpu'; pass another --work-dir"):
        minirepro.claim_work_dir(tmp_path / 'runs', 'gpu')


def test_a_finished_run_is_read_back_with_its_minutes_not_run_again(tmp_path, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError('a finished run was run again')
    monkeypatch.setattr(minirepro, 'pretrain', must_not_run)
    monkeypatch.setattr(minirepro, 'evaluate', must_not_run)
    monkeypatch.setattr(minirepro, 'probe_checkpoint', must_not_run)
    finished = dict(method='BYOL', seed=1, probe_miou=19.71, finetune_miou=18.71, minutes=12.8,
                    pretrain_minutes=6.4)
    (tmp_path / 'BYOL' / 'seed1').mkdir(parents=True)
    (tmp_path / 'BYOL' / 'seed1' / 'result.json').write_text(json.dumps(finished))
    args = SimpleNamespace(work_dir=str(tmp_path), data_root=str(tmp_path))
    assert minirepro.run_method('BYOL', 1, minirepro.BUDGETS['cpu'], tmp_path / 'f.txt', args) == finished


def test_a_new_run_records_its_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(minirepro, 'probe_checkpoint', lambda checkpoint, *a, **k: dict(mIoU=30.0, IoU={'sky': 90.0}))
    monkeypatch.setattr(minirepro, 'evaluate', lambda config, *a, **k: 20.0)
    args = SimpleNamespace(work_dir=str(tmp_path), data_root=str(tmp_path))
    result = minirepro.run_method('random init', 0, minirepro.BUDGETS['cpu'], tmp_path / 'f.txt', args)
    assert (result['probe_miou'], result['probe_iou'], result['finetune_miou']) == (30.0, {'sky': 90.0}, 20.0)
    assert json.loads((tmp_path / 'random_init' / 'seed0' / 'result.json').read_text()) == result
