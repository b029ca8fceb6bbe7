# Table 3b: dense clustering, cosine to every pixel of the assigned cluster instead of the centroid.
_base_ = ['../multisiam_r50_waymo.py']
model = dict(head_2d=dict(clustering=dict(dense=True)))
