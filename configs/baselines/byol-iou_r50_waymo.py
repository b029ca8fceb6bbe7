# Table 4, row 2: BYOL whose two crops must overlap with IoU > 0.5 (MultiSiam's pair crop, 1D loss only).
_base_ = [
    '../_base_/models/byol_r50.py',
    '../_base_/datasets/waymo_byol_iou.py',
    '../_base_/schedules/lars_coslr-325e.py',
    '../_base_/default_runtime.py',
]

model = dict(base_momentum=0.996)
train_dataloader = dict(batch_size=128, num_workers=8, drop_last=True)
