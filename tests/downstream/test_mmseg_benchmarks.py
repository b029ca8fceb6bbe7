"""Cityscapes and BDD100K FCN-16s configs: one training iteration and one validation pass each, on tiny
fixtures in the datasets' real layouts, with the backbone loaded from the pre-training checkpoint."""
from pathlib import Path

import pytest
from mmengine.config import Config

CONFIGS = Path(__file__).resolve().parents[2] / 'configs' / 'benchmarks'
SEGMENTATION_CONFIGS = {
    'mmsegmentation/cityscapes/fcn-16s_r50_90k.py': 'cityscapes_root',
    'mmsegmentation/bdd100k/fcn-16s_r50_90k.py': 'bdd100k_root',
}


@pytest.mark.parametrize('config', sorted(SEGMENTATION_CONFIGS))
def test_fcn_trains_one_iteration_from_pretrain_checkpoint(config, request, pretrain_checkpoint,
                                                           load_benchmark_config, shrink, run_one_iteration,
                                                           assert_backbone_loaded):
    data_root = request.getfixturevalue(SEGMENTATION_CONFIGS[config])
    cfg = load_benchmark_config(config, pretrain_checkpoint, data_root=data_root)
    assert cfg.model.backbone.type == 'ResNet' and cfg.model.pretrained is None  # not ResNetV1c's deep stem
    assert cfg.train_dataloader.dataset.data_root == data_root + '/'
    shrink(cfg, scale=(128, 64), crop=(64, 64))
    runner, reports = run_one_iteration(cfg)
    assert runner.iter == 1
    assert 0 <= runner.message_hub.get_scalar('val/mIoU').current() <= 100
    assert_backbone_loaded(reports, pretrain_checkpoint)


def test_fcn_16s_protocol():
    """The paper's FCN-16s: output stride 16, dilation-6 head of 256 channels, SyncBN, 90k iterations."""
    cfg = Config.fromfile(CONFIGS / 'mmsegmentation/cityscapes/fcn-16s_r50_90k.py')
    backbone, head = cfg.model.backbone, cfg.model.decode_head
    assert backbone.depth == 50 and backbone.strides == (1, 2, 2, 1) and backbone.dilations == (1, 1, 1, 2)
    assert (head.channels, head.num_convs, head.dilation, head.in_channels) == (256, 2, 6, 2048)
    assert cfg.model.auxiliary_head is None
    assert backbone.norm_cfg.type == head.norm_cfg.type == 'SyncBN'
    assert cfg.train_cfg.max_iters == 90000 and cfg.param_scheduler[0].end == 90000
    assert cfg.train_dataloader.batch_size == 2  # x 8 GPUs = 16
    bdd = Config.fromfile(CONFIGS / 'mmsegmentation/bdd100k/fcn-16s_r50_90k.py')
    assert bdd.model == cfg.model
    assert bdd.train_dataloader.dataset.type == 'BDD100KDataset'
    assert bdd.train_dataloader.dataset.data_prefix.img_path == 'images/10k/train'
    assert bdd.train_dataloader.dataset.data_prefix.seg_map_path == 'labels/sem_seg/masks/train'


def test_a_model_zoo_config_inheriting_mmsegs_own_trains_from_the_pretrain_checkpoint(
        pretrain_checkpoint, cityscapes_root, load_benchmark_config, shrink, run_one_iteration,
        assert_backbone_loaded):
    """mmseg's fcn_r50b config has no pretrain_checkpoint: the launcher gives its backbone the checkpoint
    (prefix 'backbone.') and the load is checked, as for the benchmark configs."""
    config = str(Path(__file__).resolve().parents[1] / 'fixtures/mmseg_model_zoo_fcn_r50b.py')
    cfg = load_benchmark_config(config, pretrain_checkpoint, data_root=cityscapes_root)
    assert cfg.model.pretrained is None
    assert cfg.model.backbone.init_cfg == dict(type='Pretrained', checkpoint=pretrain_checkpoint, prefix='backbone.')
    shrink(cfg, scale=(128, 64), crop=(64, 64))
    cfg.model.auxiliary_head = None  # the test's CPU budget: the FCN head alone
    runner, reports = run_one_iteration(cfg)
    assert runner.iter == 1
    assert_backbone_loaded(reports, pretrain_checkpoint)
