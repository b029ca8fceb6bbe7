"""Detection and instance segmentation configs: one training iteration and one validation pass each, on
tiny fixtures in the datasets' real layouts (COCO-format json, VOC xml), with the backbone (and the C4
shared head) loaded from the pre-training checkpoint."""
from pathlib import Path

import pytest
from mmengine.config import Config

CONFIGS = Path(__file__).resolve().parents[2] / 'configs' / 'benchmarks'
# config -> (data fixture, a validation metric it must report, modules loaded from the checkpoint)
DETECTION_CONFIGS = {
    'mmdetection/cityscapes/mask-rcnn_r50_fpn_24k.py': ('cityscapes_root', 'coco/segm_mAP', ('backbone',)),
    'mmdetection/bdd100k/mask-rcnn_r50_fpn_24k.py': ('bdd100k_root', 'coco/segm_mAP', ('backbone',)),
    'mmdetection/voc/faster-rcnn_r50-c4_24k.py': ('voc_root', 'pascal_voc/mAP',
                                                  ('backbone', 'roi_head.shared_head')),
    'mmdetection/coco/mask-rcnn_r50_fpn_1x.py': ('coco_root', 'coco/segm_mAP', ('backbone',)),
    'mmdetection/coco/mask-rcnn_r50_fpn_2x.py': ('coco_root', 'coco/segm_mAP', ('backbone',)),
    'mmdetection/coco/mask-rcnn_r50_fpn_12k.py': ('coco_root', 'coco/segm_mAP', ('backbone',)),
    'mmdetection/coco/retinanet_r50_fpn_1x.py': ('coco_root', 'coco/bbox_mAP', ('backbone',)),
    'mmdetection/coco/retinanet_r50_fpn_2x.py': ('coco_root', 'coco/bbox_mAP', ('backbone',)),
    'mmdetection/coco/retinanet_r50_fpn_12k.py': ('coco_root', 'coco/bbox_mAP', ('backbone',)),
}


@pytest.mark.parametrize('config', sorted(DETECTION_CONFIGS))
def test_detector_trains_one_iteration_from_pretrain_checkpoint(config, request, pretrain_checkpoint,
                                                                load_benchmark_config, shrink,
                                                                run_one_iteration, assert_backbone_loaded):
    fixture, metric, modules = DETECTION_CONFIGS[config]
    data_root = request.getfixturevalue(fixture)
    cfg = load_benchmark_config(config, pretrain_checkpoint, data_root=data_root)
    assert cfg.get('load_from') is None  # no COCO-trained detector under the pre-trained backbone
    shrink(cfg, scale=(128, 96))
    runner, reports = run_one_iteration(cfg)
    assert runner.iter == 1
    assert runner.message_hub.get_scalar(f'val/{metric}') is not None
    assert_backbone_loaded(reports, pretrain_checkpoint, modules)


def test_cityscapes_mask_rcnn_protocol():
    """MoCo's Cityscapes protocol: 24k iterations at batch 8, lr 0.01, step at 18k, short side 800..1024,
    SyncBN in backbone and FPN, nothing frozen, no COCO load_from."""
    cfg = Config.fromfile(CONFIGS / 'mmdetection/cityscapes/mask-rcnn_r50_fpn_24k.py')
    assert cfg.train_cfg.max_iters == 24000 and cfg.optim_wrapper.optimizer.lr == 0.01
    assert cfg.train_dataloader.batch_size == 1  # x 8 GPUs
    assert cfg.param_scheduler[1].milestones == [18000]
    resize = cfg.train_dataloader.dataset.pipeline[2]
    assert [short for _, short in resize.scales] == list(range(800, 1025, 32))
    assert cfg.model.backbone.norm_cfg.type == cfg.model.neck.norm_cfg.type == 'SyncBN'
    assert cfg.model.backbone.frozen_stages == -1 and cfg.model.backbone.norm_eval is False
    assert cfg.load_from is None
    assert cfg.model.roi_head.bbox_head.num_classes == cfg.model.roi_head.mask_head.num_classes == 8


def test_schedules_of_appendix_c():
    mask_1x = Config.fromfile(CONFIGS / 'mmdetection/coco/mask-rcnn_r50_fpn_1x.py')
    mask_2x = Config.fromfile(CONFIGS / 'mmdetection/coco/mask-rcnn_r50_fpn_2x.py')
    mask_12k = Config.fromfile(CONFIGS / 'mmdetection/coco/mask-rcnn_r50_fpn_12k.py')
    assert mask_1x.train_cfg.max_epochs == 12 and mask_2x.train_cfg.max_epochs == 24
    assert mask_12k.train_cfg.max_iters == 12000 and mask_12k.train_cfg.type == 'IterBasedTrainLoop'
    assert mask_1x.model == mask_2x.model == mask_12k.model
    assert mask_1x.model.roi_head.bbox_head.type == 'Shared4Conv1FCBBoxHead'
    retina_12k = Config.fromfile(CONFIGS / 'mmdetection/coco/retinanet_r50_fpn_12k.py')
    assert retina_12k.optim_wrapper.optimizer.lr == 0.01 and retina_12k.train_cfg.max_iters == 12000
    voc = Config.fromfile(CONFIGS / 'mmdetection/voc/faster-rcnn_r50-c4_24k.py')
    assert voc.train_cfg.max_iters == 24000 and voc.param_scheduler[1].milestones == [18000, 22000]
    assert voc.model.backbone.style == voc.model.roi_head.shared_head.style == 'pytorch'
    assert [d.ann_file for d in voc.train_dataloader.dataset.datasets] == [
        'VOC2007/ImageSets/Main/trainval.txt', 'VOC2012/ImageSets/Main/trainval.txt']


def test_a_model_zoo_config_inheriting_mmdets_own_trains_from_the_pretrain_checkpoint(
        pretrain_checkpoint, coco_root, load_benchmark_config, shrink, run_one_iteration, assert_backbone_loaded):
    """mmdet's RetinaNet config loads torchvision's ResNet-50 and has no pretrain_checkpoint: the launcher
    gives its backbone the pre-training checkpoint (prefix 'backbone.') and the load is checked."""
    config = str(Path(__file__).resolve().parents[1] / 'fixtures/mmdet_model_zoo_retinanet_r50.py')
    cfg = load_benchmark_config(config, pretrain_checkpoint, data_root=coco_root)
    assert cfg.model.backbone.init_cfg == dict(type='Pretrained', checkpoint=pretrain_checkpoint, prefix='backbone.')
    shrink(cfg, scale=(128, 96))
    runner, reports = run_one_iteration(cfg)
    assert runner.iter == 1
    assert_backbone_loaded(reports, pretrain_checkpoint)
