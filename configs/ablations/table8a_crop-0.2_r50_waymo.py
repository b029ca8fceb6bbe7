# Table 8a: minimum crop scale 0.2, the full model. Paper: 71.7 mIoU.
_base_ = ['./table4_row5_offset_r50_waymo.py']

train_pipeline = [
    dict(type='LoadAndPairCrop', size=224, scale=(0.2, 1.), ratio=(3. / 4., 4. / 3.), iou_threshold=0.5,
         interpolation='bicubic', backend='pillow', decode='reduced', oversample=1.0),
    {{_base_.per_view_augment}},
    {{_base_.pack_inputs}},
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
