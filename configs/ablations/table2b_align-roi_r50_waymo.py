# Table 2b: RoI alignment, Eq. (3, 4) (the ablation base itself). Paper: 70.0 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']
