# Table 2b: offset alignment with raw pixel offsets ("Offset nonorm"); no attention. Paper: 69.4 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

model = dict(alignment=dict(_delete_=True, type='OffsetAlignment', normalize=False),
             head_2d=dict(predictor=dict(in_channels=256 + 2)))  # [G; Delta C] (Eq. 6)
