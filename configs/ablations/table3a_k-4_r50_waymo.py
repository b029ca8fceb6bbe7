# Table 3a: K = 4 clusters per image. Paper: 68.4 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

model = dict(head_2d=dict(clustering=dict(num_clusters=4)))
