# Table 4, row 4: + intra-image K-means targets, local predictor (no self-attention).
_base_ = ['../multisiam_r50_waymo.py']
model = dict(head_2d=dict(attention=None))
