# Table 4, row 3: + L_cluster: RoI alignment, K-means targets, local predictor (the ablation base itself).
# Paper: 70.0 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']
