from pathlib import Path

import pytest
from mmengine.config import Config

from multisiam_mm.apis.config_checks import check_pretraining_config

ROOT = Path(__file__).resolve().parents[2]


def main_config(**options) -> Config:
    cfg = Config.fromfile(str(ROOT / 'configs/multisiam_r18_camvid.py'))
    cfg.merge_from_dict(options)
    return cfg


def test_shipped_config_passes():
    check_pretraining_config(main_config())


@pytest.mark.parametrize('options,message', [
    ({'train_dataloader.dataset.pipeline.0.iou_threshold': 1.2},
     r'pipeline\[0\].iou_threshold must be in \[0, 1\) .*got 1.2'),
    ({'train_dataloader.dataset.pipeline.0.iou_threshold': -0.1}, r'iou_threshold must be in \[0, 1\)'),
    ({'model.head_2d.clustering.num_clusters': 0}, r'num_clusters must be in \[1, 16\] .*got 0'),
    ({'model.head_2d.clustering.num_clusters': 17}, r'num_clusters must be in \[1, 16\] .*got 17'),  # 4x4 map
    ({'model.loss_weight_1d': 1.5}, r'model.loss_weight_1d .* must be in \[0, 1\], got 1.5'),
    ({'model.alignment.type': 'OffsetAlignmentt'}, r"model.alignment.type must be one of .*'OffsetAlignmentt'"),
    ({'train_dataloader.dataset.pipeline.0.size': 32}, r'pipeline\[0\].size must be larger than 32 px'),
])
def test_bad_values_are_named_with_their_range(options, message):
    with pytest.raises(ValueError, match=message):
        check_pretraining_config(main_config(**options))


def test_a_dilated_last_stage_halves_the_stride_the_map_size_is_counted_with():
    dilated = {'model.backbone.strides': (1, 2, 2, 1), 'model.backbone.dilations': (1, 1, 1, 2),
               'train_dataloader.dataset.pipeline.0.size': 112}
    check_pretraining_config(main_config(**dilated))  # 7x7 final map (stride 16): K=3 fits
    with pytest.raises(ValueError, match=r'num_clusters must be in \[1, 49\] .*got 50'):
        check_pretraining_config(main_config(**dilated, **{'model.head_2d.clustering.num_clusters': 50}))
    with pytest.raises(ValueError, match=r'size must be larger than 16 px .*got 16'):
        check_pretraining_config(main_config(**{**dilated, 'train_dataloader.dataset.pipeline.0.size': 16}))


def test_missing_checkpoints_are_named():
    with pytest.raises(FileNotFoundError, match=r"load_from is 'nowhere.pth', which does not exist"):
        check_pretraining_config(main_config(load_from='nowhere.pth'))
    cfg = main_config()
    cfg.model.backbone.init_cfg = dict(type='Pretrained', checkpoint='missing/r18.pth')
    with pytest.raises(FileNotFoundError, match=r'model.backbone.init_cfg\[0\].checkpoint'):
        check_pretraining_config(cfg)


def test_accumulation_without_the_per_step_ema_hook_is_named():
    check_pretraining_config(main_config(**{'optim_wrapper.accumulative_counts': 4}))  # the hook is there
    cfg = main_config(**{'optim_wrapper.accumulative_counts': 4})
    cfg.custom_hooks = [dict(type='NaNGuardHook')]
    with pytest.raises(ValueError, match=r"accumulative_counts is 4 but custom_hooks has no OptimStepEMAHook.*"
                                         r"move 4 times per optimizer step; add dict\(type='OptimStepEMAHook'\)"):
        check_pretraining_config(cfg)


def test_schedules_that_do_not_fit_max_epochs_are_named():
    check_pretraining_config(main_config(**{'train_cfg.max_epochs': 100}))  # the cosine follows
    with pytest.raises(ValueError, match=r'param_scheduler\[1\] \(CosineAnnealingLR\) begins at epoch 2, but '
                                         r'train_cfg.max_epochs is 2: shorten the warm-up'):
        check_pretraining_config(main_config(**{'train_cfg.max_epochs': 2}))
    with pytest.raises(ValueError, match=r'ends at epoch 325, but train_cfg.max_epochs is 40: set '
                                         r'param_scheduler.1.end=40 \(and T_max\)'):
        check_pretraining_config(main_config(**{'param_scheduler.1.end': 325}))
