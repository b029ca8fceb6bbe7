# Table 8a: minimum crop scale 0.08, the full model (= Table 4 row 5). Paper: 71.9 mIoU.
_base_ = ['./table4_row5_offset_r50_waymo.py']
