# Table 9: RoI alignment, attention with a residual connection. Paper: 71.4 mIoU.
_base_ = ['./table4_row4_attention_r50_waymo.py']

model = dict(head_2d=dict(attention=dict(residual=True)))
