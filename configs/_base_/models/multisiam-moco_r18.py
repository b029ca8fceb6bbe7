# MoCo-based MultiSiam (multisiam-moco_r50.py, App. B.2) on ResNet-18: MoCo v2's projectors keep their
# hidden width equal to the backbone's channels (512 here) and their 128-d output.
_base_ = ['./multisiam-moco_r50.py']

model = dict(
    backbone=dict(depth=18),
    neck=dict(
        projector_1d=dict(in_channels=512, hid_channels=512),
        projector_2d=dict(mlp=dict(in_channels=512, hid_channels=512))))
