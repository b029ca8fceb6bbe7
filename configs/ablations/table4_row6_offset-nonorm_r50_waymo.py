# Table 4, row 6: the full model with raw pixel offsets ("offset align nonorm"). Paper: 71.2 mIoU.
_base_ = ['./table4_row5_offset_r50_waymo.py']

model = dict(alignment=dict(normalize=False))
