"""The checkpoint and the data location come from one place: the configs' pretrain_checkpoint and data_root
variables, set by tools/benchmarks (train_downstream.py and the shell wrappers)."""
from pathlib import Path

import pytest
from mmengine.config import Config

from multisiam_mm.apis.config_variables import drop_pretrained_init, set_config_variable

CONFIGS = Path(__file__).resolve().parents[2] / 'configs' / 'benchmarks'
ALL_CONFIGS = sorted(str(path.relative_to(CONFIGS)) for path in CONFIGS.rglob('*.py')
                     if '_base_' not in path.parts)


def pretrained_init_cfgs(node, found=None):
    found = [] if found is None else found
    if isinstance(node, dict):
        if node.get('type') == 'Pretrained':
            found.append(node)
        for value in node.values():
            pretrained_init_cfgs(value, found)
    elif isinstance(node, list):
        for value in node:
            pretrained_init_cfgs(value, found)
    return found


@pytest.mark.parametrize('config', ALL_CONFIGS)
def test_every_benchmark_config_takes_the_checkpoint_from_pretrain_checkpoint(config):
    cfg = Config.fromfile(CONFIGS / config)
    assert cfg.pretrain_checkpoint is None
    inits = pretrained_init_cfgs(cfg.model)
    assert inits and all(init.checkpoint is None and init.prefix == 'backbone.' for init in inits)
    assert cfg.model.backbone.type == 'ResNet' and cfg.model.get('pretrained') is None
    # the mmdet configs import the part that needs neither mmseg nor mmdet, the mmseg ones also the mmseg part
    plugin = 'multisiam_mm.downstream' + ('.segmentation' if config.startswith('mmsegmentation') else '')
    assert cfg.custom_imports.imports == [plugin]
    assert dict(type='PretrainedLoadCheckHook') in cfg.custom_hooks
    assert cfg.get('load_from') is None


def test_checkpoint_reaches_backbone_and_c4_shared_head(load_benchmark_config, pretrain_checkpoint):
    cfg = load_benchmark_config('mmdetection/voc/faster-rcnn_r50-c4_24k.py', pretrain_checkpoint)
    assert cfg.pretrain_checkpoint == pretrain_checkpoint
    assert cfg.model.backbone.init_cfg.checkpoint == pretrain_checkpoint
    assert cfg.model.roi_head.shared_head.init_cfg.checkpoint == pretrain_checkpoint


def test_data_root_rewrites_every_derived_path(load_benchmark_config, pretrain_checkpoint):
    cfg = load_benchmark_config('mmdetection/cityscapes/mask-rcnn_r50_fpn_24k.py', pretrain_checkpoint,
                                data_root='/datasets/cityscapes')  # no trailing slash
    assert cfg.data_root == '/datasets/cityscapes/'
    assert cfg.train_dataloader.dataset.data_root == '/datasets/cityscapes/'
    assert cfg.val_dataloader.dataset.data_root == '/datasets/cityscapes/'
    assert cfg.val_evaluator.ann_file == (
        '/datasets/cityscapes/annotations/instancesonly_filtered_gtFine_val.json')
    assert 'data/cityscapes' not in cfg.pretty_text


def test_other_cfg_options_merge_after_the_variables(load_benchmark_config, pretrain_checkpoint):
    cfg = load_benchmark_config('mmsegmentation/camvid/fcn-16s_r18_1k.py', pretrain_checkpoint,
                                data_root='../shared/data/camvid/', **{'train_cfg.max_iters': 7})
    assert cfg.train_cfg.max_iters == 7
    assert cfg.train_dataloader.dataset.data_root == '../shared/data/camvid/'


def test_unset_or_missing_checkpoint_fails_naming_the_fix(train_downstream, tmp_path):
    config = str(CONFIGS / 'mmsegmentation/cityscapes/fcn-16s_r50_90k.py')
    with pytest.raises(ValueError, match='pretrain_checkpoint is not set.*mmseg_train.sh CONFIG CKPT'):
        train_downstream.load_config(config)
    with pytest.raises(FileNotFoundError, match='nowhere.pth'):
        train_downstream.load_config(config, checkpoint=str(tmp_path / 'nowhere.pth'))
    with pytest.raises(ValueError, match='given twice'):
        train_downstream.load_config(config, checkpoint='a.pth', cfg_options={'pretrain_checkpoint': 'b.pth'})


def test_wrong_toolbox_is_named(train_downstream, pretrain_checkpoint):
    config = str(CONFIGS / 'mmsegmentation/cityscapes/fcn-16s_r50_90k.py')
    with pytest.raises(ValueError, match='mmseg config, not mmdet.*mmseg_train.sh'):
        train_downstream.load_config(config, checkpoint=pretrain_checkpoint, scope='mmdet')


def test_random_init_drops_every_pretrained_init(load_benchmark_config):
    cfg = load_benchmark_config('mmdetection/voc/faster-rcnn_r50-c4_24k.py', random_init=True)
    assert pretrained_init_cfgs(cfg.model) == []
    assert cfg.model.backbone.init_cfg is None and cfg.model.roi_head.shared_head.init_cfg is None


def test_set_config_variable_errors():
    cfg = Config(dict(data_root='data/x/', unused='data/y/', model=dict(root='data/x/')))
    assert set_config_variable(cfg, 'data_root', 'elsewhere') == 1 and cfg.model.root == 'elsewhere/'
    with pytest.raises(KeyError, match="'pretrain_checkpoint' is not a top-level variable"):
        set_config_variable(cfg, 'pretrain_checkpoint', 'x.pth')
    with pytest.raises(ValueError, match='not used anywhere'):
        set_config_variable(cfg, 'unused', 'data/z/')
    with pytest.raises(ValueError, match='nothing to drop'):
        drop_pretrained_init(Config(dict(pretrain_checkpoint=None, model=dict(type='M'))))
