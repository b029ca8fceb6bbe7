# Table 4, row 3: + 2D branch with offset alignment; per-pixel targets (no K-means), local predictor.
_base_ = ['../multisiam_r50_waymo.py']
model = dict(head_2d=dict(clustering=None, attention=None))
