from pathlib import Path

import pytest
from mmengine.config import Config

from multisiam_mm.apis.config_checks import check_pretraining_config, check_view_augment

ROOT = Path(__file__).resolve().parents[2]


def main_config(**options) -> Config:
    cfg = Config.fromfile(str(ROOT / 'configs/multisiam_r18_camvid.py'))
    cfg.merge_from_dict(options)
    return cfg


def test_shipped_config_passes():
    check_pretraining_config(main_config())


@pytest.mark.parametrize('options,message', [
    ({'model.head_2d.clustering.num_clusters': 17}, r'num_clusters must be in \[1, 16\] .*got 17'),  # 4x4 map
    ({'train_dataloader.dataset.pipeline.0.size': 32}, r'pipeline\[0\].size must be larger than 32 px'),
    # ResNet-50's final map has 2048 channels; the R18 config's projectors take 512
    ({'model.backbone.depth': 50}, r'depth=50 gives a final map of 2048 channels, but '
                                   r'model.neck.projector_1d.in_channels is 512, model.neck.projector_2d.in_channels '
                                   r'is 512: set model.neck.projector_1d.in_channels=2048 '
                                   r'model.neck.projector_2d.in_channels=2048'),
])
def test_parts_that_do_not_fit_each_other_are_named_with_their_range(options, message):
    with pytest.raises(ValueError, match=message):
        check_pretraining_config(main_config(**options))


@pytest.mark.parametrize('options', [{'train_dataloader.dataset.pipeline.0.iou_threshold': 1.2},
                                     {'model.loss_weight_1d': 1.5}, {'model.alignment.type': 'OffsetAlignmentt'}])
def test_a_components_own_arguments_are_left_to_the_component(options):
    """One validation layer: the pair crop, the model and its alignment check these when they are built
    (tests/datasets, tests/models); the config checks hold only what spans components."""
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


def test_a_device_pipeline_without_the_device_preprocessor_is_refused_before_training():
    cfg = Config(dict(
        model=dict(data_preprocessor=dict(type='SelfSupDataPreprocessor')),
        train_dataloader=dict(dataset=dict(pipeline=[
            dict(type='LoadAndPairCrop'), dict(type='PerViewAugment', transforms=[[], []], on_device=True)]))))
    with pytest.raises(ValueError, match=r"pipeline\[1\] is PerViewAugment\(on_device=True\).*model.data_preprocessor"
                                         r".type is 'SelfSupDataPreprocessor'.*"
                                         r"type=ViewAugmentPreprocessor, or "
                                         r'train_dataloader.dataset.pipeline.1.on_device=False'):
        check_view_augment(cfg)
    cfg.model.data_preprocessor.type = 'ViewAugmentPreprocessor'  # mmengine's root registry, found unscoped
    check_view_augment(cfg)
    cfg.train_dataloader.dataset.pipeline[1].on_device = False
    cfg.model.data_preprocessor.type = 'SelfSupDataPreprocessor'
    check_view_augment(cfg)
