# Table 2b: no feature alignment, cell (i, j) against cell (i, j). Paper: 68.8 mIoU.
_base_ = ['../_base_/multisiam-ablation_r50_waymo.py']

model = dict(alignment=dict(_delete_=True, type='NoAlignment'))
