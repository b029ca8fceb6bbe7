# Table 3b: dense clustering, cosine to every pixel of the assigned cluster. Paper: 69.0 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

model = dict(head_2d=dict(clustering=dict(dense=True)))
