# MultiSiam (multisiam_r50.py) on ResNet-18 with narrower projectors and predictors, for the small CamVid
# runs (configs/*_r18_camvid.py): the final 2D map has 512 channels.
_base_ = ['./multisiam_r50.py']

width = 1024  # projector / predictor hidden channels (4096 on ResNet-50)
dim = 128  # projection channels (256 on ResNet-50)

model = dict(
    backbone=dict(depth=18),
    neck=dict(
        projector_1d=dict(in_channels=512, hid_channels=width, out_channels=dim),
        projector_2d=dict(in_channels=512, hid_channels=width, out_channels=dim)),
    head=dict(predictor=dict(in_channels=dim, hid_channels=width, out_channels=dim)),
    head_2d=dict(predictor=dict(in_channels=dim + 2, hid_channels=width, out_channels=dim)))
