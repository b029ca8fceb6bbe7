# App. B.1: MultiSiam without K-means, each pixel predicts R'_ij (Eq. 15), attention and offset
# alignment kept, main recipe (325 epochs). Paper (Sec. 4.2): 71.0 mIoU Cityscapes, 54.8 BDD100K.
_base_ = ['../multisiam_r50_waymo.py']

model = dict(head_2d=dict(clustering=None))
