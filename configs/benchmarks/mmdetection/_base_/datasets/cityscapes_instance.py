# Cityscapes instance segmentation (8 classes), COCO-format annotations from mmdet's converter
# (docs/benchmarks.md). Multi-scale training, short side 800..1024 in steps of 32 (long side <= 2048),
# testing at 1024 (the full resolution): detectron2's Cityscapes recipe used by MoCo. Unlike mmdet's
# Cityscapes config, no RepeatDataset (the schedule counts iterations) and no COCO `load_from`.
# COCO-style bbox/segm AP; for the official Cityscapes AP add mmdet's CityScapesMetric, which needs
# `pip install cityscapesscripts` (docs/benchmarks.md).
_base_ = 'mmdet::_base_/datasets/cityscapes_instance.py'

dataset_type = 'CityscapesDataset'
data_root = 'data/cityscapes/'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='RandomChoiceResize', scales=[(2048, short) for short in range(800, 1025, 32)],
         keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
train_dataloader = dict(
    batch_size=1,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/instancesonly_filtered_gtFine_train.json',
        data_prefix=dict(img='leftImg8bit/train/'),
        filter_cfg=dict(filter_empty_gt=True, min_size=32),
        pipeline=train_pipeline))
val_evaluator = dict(
    _delete_=True,
    type='CocoMetric',
    ann_file=data_root + 'annotations/instancesonly_filtered_gtFine_val.json',
    metric=['bbox', 'segm'])
test_evaluator = val_evaluator
