# BYOL (byol_r50.py: mmselfsup's, with the device-side augmentation) on ResNet-18 with the projector and
# predictor widths of multisiam_r18.py, so that the CamVid baselines compare with MultiSiam at equal
# capacity (its 1D branch is exactly this model).
_base_ = ['./byol_r50.py']

width = 1024  # projector / predictor hidden channels (4096 on ResNet-50)
dim = 128  # projection channels (256 on ResNet-50)

model = dict(
    backbone=dict(depth=18),
    neck=dict(in_channels=512, hid_channels=width, out_channels=dim),
    head=dict(predictor=dict(in_channels=dim, hid_channels=width, out_channels=dim)))
