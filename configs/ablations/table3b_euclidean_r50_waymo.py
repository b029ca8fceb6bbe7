# Table 3b: Euclidean K-means, assignments and centroids (raw means). Paper: 69.3 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

model = dict(head_2d=dict(clustering=dict(distance='euclidean')))
