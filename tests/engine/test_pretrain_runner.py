"""The schedule follows what the user changed: lr = base lr x total batch / 256, cosine to max_epochs."""
from pathlib import Path

import pytest
from mmengine.config import Config
from mmselfsup.registry import RUNNERS

import multisiam_mm.engine.pretrain_runner as scaling
from multisiam_mm.engine import PretrainRunner

ROOT = Path(__file__).resolve().parents[2]


def started_runner(config: str, tmp_path: Path, schedulers: bool = False, **options) -> PretrainRunner:
    """A runner from ``config`` with what ``Runner.train`` builds before the first iteration: the loop
    (and its dataloader), the optimizer with its lr scaled, the parameter schedulers."""
    cfg = Config.fromfile(str(ROOT / config))
    cfg.merge_from_dict(options)
    cfg.work_dir = str(tmp_path)
    runner = RUNNERS.build(cfg)
    runner._train_loop = runner.build_train_loop(runner._train_loop)
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    runner.scale_lr(runner.optim_wrapper, runner.auto_scale_lr)
    if schedulers:
        runner.param_schedulers = runner.build_param_scheduler(runner.param_schedulers)
    return runner


# the 31 demo frames hold no full batch of 64 or 128: keep the last, partial one for these tests
PARTIAL = {'train_dataloader.drop_last': False}


def lr(runner) -> float:
    return runner.optim_wrapper.optimizer.param_groups[0]['lr']


def test_camvid_lr_follows_the_batch(tmp_path):
    assert lr(started_runner('configs/multisiam_r18_camvid.py', tmp_path)) == pytest.approx(0.0625)  # 16
    doubled = started_runner('configs/multisiam_r18_camvid.py', tmp_path, **{'train_dataloader.batch_size': 64}, **PARTIAL)
    assert lr(doubled) == pytest.approx(0.25)  # 1.0 x 64 / 256


def test_waymo_lr_follows_processes_and_accumulation(tmp_path, monkeypatch):
    monkeypatch.setattr(scaling, 'get_world_size', lambda: 2)
    config = 'tests/fixtures/waymo_config_on_camvid_frames.py'
    two_gpus = started_runner(config, tmp_path, **{'train_dataloader.batch_size': 128}, **PARTIAL)
    assert lr(two_gpus) == pytest.approx(1.0)  # 1.0 x (128 x 2) / 256
    accumulated = started_runner(config, tmp_path, **{'train_dataloader.batch_size': 128,
                                                      'optim_wrapper.accumulative_counts': 4}, **PARTIAL)
    assert lr(accumulated) == pytest.approx(4.0)  # 1.0 x (128 x 2 x 4) / 256


def test_the_arithmetic_is_logged(tmp_path, capsys):
    started_runner('configs/multisiam_r18_camvid.py', tmp_path, **{'train_dataloader.batch_size': 8})
    assert ('lr = base lr 1 x total batch 8 (8 per process x 1 processes x 1 accumulated) / 256 = 0.03125'
            in capsys.readouterr().out)


def test_the_cosine_ends_at_max_epochs(tmp_path):
    runner = started_runner('configs/multisiam_r18_camvid.py', tmp_path, schedulers=True,
                            **{'train_cfg.max_epochs': 100})
    epoch_length = len(runner.train_dataloader)  # 31 demo frames, batch 16: 1
    warmup, cosine = runner.param_schedulers
    assert warmup.end == 2 * epoch_length
    assert cosine.begin == 2 * epoch_length and cosine.end == 100 * epoch_length
    assert cosine.T_max == (100 - 2) * epoch_length


def test_a_batch_larger_than_the_dataset_is_named(tmp_path):
    with pytest.raises(ValueError, match=r'train_dataloader.batch_size \(64 per process x 1 processes\) is larger '
                                         r'than the dataset \(31 images\) with drop_last=True.*at most 31'):
        started_runner('configs/multisiam_r18_camvid.py', tmp_path, **{'train_dataloader.batch_size': 64})
