# Table 3a: K = 3 clusters per image (the ablation base itself). Paper: 70.0 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']
