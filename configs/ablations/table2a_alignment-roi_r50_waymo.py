# Table 2a: RoI alignment over the crops' intersection (Eq. 3, 4).
_base_ = ['../multisiam_r50_waymo.py']
model = dict(alignment=dict(_delete_=True, type='RoIAlignment'), head_2d=dict(predictor=dict(in_channels=256)))
