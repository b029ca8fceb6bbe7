# Table 2b: offsets normalized by the online map's extent (Eq. 5), the default.
_base_ = ['../multisiam_r50_waymo.py']
