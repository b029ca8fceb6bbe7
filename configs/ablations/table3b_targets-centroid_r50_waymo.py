# Table 3b: each pixel predicts its cluster's centroid (Eq. 10), the default.
_base_ = ['../multisiam_r50_waymo.py']
