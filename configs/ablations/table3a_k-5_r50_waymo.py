# Table 3a: K = 5 clusters per image. Paper: 69.7 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

model = dict(head_2d=dict(clustering=dict(num_clusters=5)))
