# Table 2a: IoU threshold 0.3 between the two crops; RoI alignment, no attention. Paper: 69.2 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

train_pipeline = [
    dict(type='LoadAndPairCrop', size=224, scale=(0.08, 1.), ratio=(3. / 4., 4. / 3.), iou_threshold=0.3,
         interpolation='bicubic', backend='pillow', decode='reduced', oversample=1.0),
    {{_base_.per_view_augment}},
    {{_base_.pack_inputs}},
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
