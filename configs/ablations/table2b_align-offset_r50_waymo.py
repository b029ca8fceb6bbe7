# Table 2b: offset alignment with normalized offsets, Eq. (5-7); no attention. Paper: 69.5 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

model = dict(alignment=dict(_delete_=True, type='OffsetAlignment', normalize=True),
             head_2d=dict(predictor=dict(in_channels=256 + 2)))  # [G; Delta C] (Eq. 6)
