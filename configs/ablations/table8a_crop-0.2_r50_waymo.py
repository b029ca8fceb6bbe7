# Table 8a: minimum crop scale 0.2, the full model. Paper: 71.7 mIoU.
_base_ = ['./table4_row5_offset_r50_waymo.py']

train_pipeline = [dict(_base_.train_pipeline[0], scale=(0.2, 1.)), *_base_.train_pipeline[1:]]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
