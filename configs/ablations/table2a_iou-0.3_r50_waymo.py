# Table 2a: IoU threshold 0.3 between the two crops; RoI alignment, no attention. Paper: 69.2 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

train_pipeline = [dict(_base_.train_pipeline[0], iou_threshold=0.3), *_base_.train_pipeline[1:]]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
