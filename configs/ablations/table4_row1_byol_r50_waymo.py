# Table 4, row 1: plain BYOL (mmselfsup) on Waymo, unconstrained crops.
_base_ = ['../baselines/byol_r50_waymo.py']
