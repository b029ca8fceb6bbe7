# Table 2a: no feature alignment, cell (i, j) of one view against cell (i, j) of the other.
_base_ = ['../multisiam_r50_waymo.py']
model = dict(alignment=dict(_delete_=True, type='NoAlignment'), head_2d=dict(predictor=dict(in_channels=256)))
