# Table 4, row 2: BYOL (byol_r50_waymo.py) whose two crops must overlap with IoU > 0.5 (MultiSiam's pair
# crop, 1D loss only).
_base_ = ['./byol_r50_waymo.py']

train_pipeline = [dict(_base_.train_pipeline[0], iou_threshold=0.5), *_base_.train_pipeline[1:]]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
