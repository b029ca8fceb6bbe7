# Table 2a: offset alignment (Eq. 5-7), the paper's default: identical to the main config.
_base_ = ['../multisiam_r50_waymo.py']
