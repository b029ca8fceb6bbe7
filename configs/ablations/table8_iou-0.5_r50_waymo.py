# Table 8: IoU threshold 0.5 between the two crops (Sec. 3.2; paper's Fig. 3 shows 0.3 / 0.5 / 0.7).
_base_ = ['../multisiam_r50_waymo.py']
train_pipeline = [
    dict(type='LoadAndPairCrop', size=224, iou_threshold=0.5, interpolation='bicubic', backend='pillow'),
    dict(type='PerViewAugment', transforms=[{{_base_.view_pipeline1}}, {{_base_.view_pipeline2}}]),
    dict(type='PackSelfSupInputs', key='img', pseudo_label_keys=['crop_boxes', 'flipped'],
         meta_keys=['img_path', 'ori_shape']),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
