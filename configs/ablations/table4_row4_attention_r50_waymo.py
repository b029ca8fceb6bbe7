# Table 4, row 4: + self-attention (Eq. 8, 9) on RoI alignment. Paper: 71.2 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

model = dict(
    head_2d=dict(attention=dict(_delete_=True, type='PixelSelfAttention', power=2.0, residual=False)))
