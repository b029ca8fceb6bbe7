# Table 9: self-attention with a residual connection, Q = q(R) + attention.
_base_ = ['../multisiam_r50_waymo.py']
model = dict(head_2d=dict(attention=dict(residual=True)))
