# BDD100K instance segmentation (8 classes; 7k train / 1k val images of the 10k set), COCO-format
# annotations written by the BDD100K toolkit (docs/benchmarks.md):
#   python -m bdd100k.label.to_coco -m ins_seg -i labels/ins_seg/rles/ins_seg_train.json \
#       -o jsons/ins_seg_train_cocofmt.json
# Same recipe as Cityscapes: short side 800..1024 in steps of 32 for training, 1024 for testing.
dataset_type = 'CocoDataset'
data_root = 'data/bdd100k/'
metainfo = dict(
    classes=('pedestrian', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle'),
    palette=[(220, 20, 60), (255, 0, 0), (0, 0, 142), (0, 0, 70), (0, 60, 100), (0, 80, 100), (0, 0, 230),
             (119, 11, 32)])
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='RandomChoiceResize', scales=[(2048, short) for short in range(800, 1025, 32)],
         keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(2048, 1024), keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_sampler=dict(type='AspectRatioBatchSampler'),
    dataset=dict(
        type=dataset_type,
        metainfo=metainfo,
        data_root=data_root,
        ann_file='jsons/ins_seg_train_cocofmt.json',
        data_prefix=dict(img='images/10k/train/'),
        filter_cfg=dict(filter_empty_gt=True, min_size=32),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        metainfo=metainfo,
        data_root=data_root,
        ann_file='jsons/ins_seg_val_cocofmt.json',
        data_prefix=dict(img='images/10k/val/'),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(
    type='CocoMetric', ann_file=data_root + 'jsons/ins_seg_val_cocofmt.json', metric=['bbox', 'segm'])
test_evaluator = val_evaluator
