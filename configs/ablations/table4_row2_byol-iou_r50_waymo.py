# Table 4, row 2: row 1's BYOL with the IoU 0.5 pair crop (MultiSiam's), 1D loss only, ablation recipe.
# Paper: 69.2 mIoU.
_base_ = ['./table4_row1_byol_r50_waymo.py']

train_pipeline = [dict(_base_.train_pipeline[0], iou_threshold=0.5), *_base_.train_pipeline[1:]]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
