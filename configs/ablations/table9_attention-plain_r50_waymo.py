# Table 9: self-attention without residual connection, the default.
_base_ = ['../multisiam_r50_waymo.py']
