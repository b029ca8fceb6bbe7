# Table 3a: K = 4 clusters per image.
_base_ = ['../multisiam_r50_waymo.py']
model = dict(head_2d=dict(clustering=dict(num_clusters=4)))
