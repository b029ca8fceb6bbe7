# "BYOL + IoU threshold" (Table 4, row 2) with the CamVid CPU recipe of configs/multisiam_r18_camvid.py:
# the same IoU-constrained pair crop, backbone, widths, optimizer and schedule; BYOL's 1D loss only.
_base_ = ['../multisiam_r18_camvid.py']

model = dict(
    _delete_=True,
    type='BYOL',
    base_momentum=0.99,
    data_preprocessor=dict(mean=(123.675, 116.28, 103.53), std=(58.395, 57.12, 57.375), bgr_to_rgb=True),
    backbone=dict(type='ResNet', depth=18, in_channels=3, out_indices=[4], norm_cfg=dict(type='SyncBN')),
    neck=dict(type='NonLinearNeck', in_channels=512, hid_channels={{_base_.width}}, out_channels={{_base_.dim}},
              num_layers=2, with_bias=True, with_last_bn=False, with_avg_pool=True),
    head=dict(
        type='LatentPredictHead',
        predictor=dict(type='NonLinearNeck', in_channels={{_base_.dim}}, hid_channels={{_base_.width}},
                       out_channels={{_base_.dim}}, num_layers=2, with_bias=True, with_last_bn=False,
                       with_avg_pool=False),
        loss=dict(type='CosineSimilarityLoss')))
