# Table 2a: IoU threshold 0.5 between the two crops (the ablation base itself); RoI alignment, no attention.
# Paper: 70.0 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']
