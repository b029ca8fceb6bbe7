# Table 4, row 2: BYOL with only the IoU threshold on its two crops.
_base_ = ['../baselines/byol-iou_r50_waymo.py']
