# Table 4, row 5: + offset alignment: the full model at the ablation recipe. Paper: 71.9 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

model = dict(
    alignment=dict(_delete_=True, type='OffsetAlignment', normalize=True),
    head_2d=dict(
        predictor=dict(in_channels=256 + 2),  # [G; Delta C] (Eq. 6)
        attention=dict(_delete_=True, type='PixelSelfAttention', power=2.0, residual=False)))
