# Table 2b: offset alignment with raw pixel offsets ("Offset nonorm").
_base_ = ['../multisiam_r50_waymo.py']
model = dict(alignment=dict(normalize=False))
