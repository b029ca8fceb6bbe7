# Table 9: RoI alignment, attention without residual connection (= Table 4 row 4). Paper: 71.2 mIoU.
_base_ = ['./table4_row4_attention_r50_waymo.py']
