# Table 9: offset alignment, attention with a residual connection. Paper: 70.0 mIoU.
_base_ = ['./table4_row5_offset_r50_waymo.py']

model = dict(head_2d=dict(attention=dict(residual=True)))
