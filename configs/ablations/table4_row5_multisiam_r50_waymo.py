# Table 4, row 5: + self-attention: full MultiSiam, identical to the main config.
_base_ = ['../multisiam_r50_waymo.py']
