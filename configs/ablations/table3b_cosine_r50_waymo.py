# Table 3b: cosine K-means, each pixel predicts its centroid (the ablation base itself). Paper: 70.0 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']
