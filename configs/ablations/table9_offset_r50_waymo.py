# Table 9: offset alignment, attention without residual connection (= Table 4 row 5). Paper: 71.9 mIoU.
_base_ = ['./table4_row5_offset_r50_waymo.py']
