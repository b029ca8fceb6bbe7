# MoCo-based MultiSiam (App. B.2) with the CamVid CPU recipe of configs/multisiam_r18_camvid.py: same
# ResNet-18, 128 px IoU-constrained pairs, batch, epochs and warm-up + cosine schedule; MoCo v2's SGD
# (lr 0.03 per 256 images, momentum 0.9, weight decay 1e-4) and a 1024-key queue for the small data set.
_base_ = ['./multisiam_r18_camvid.py']

model = dict(
    _delete_=True,
    type='MultiSiamMoCo',
    queue_len=1024,
    feat_dim=128,
    loss_weight_1d=0.5,
    base_momentum=0.999,
    end_momentum=0.999,
    data_preprocessor=dict(mean=(123.675, 116.28, 103.53), std=(58.395, 57.12, 57.375), bgr_to_rgb=True),
    backbone=dict(type='ResNet', depth=18, in_channels=3, out_indices=[4], norm_cfg=dict(type='BN')),
    neck=dict(
        type='MultiSiamNeck',
        projector_1d=dict(type='MoCoV2Neck', in_channels=512, hid_channels=512, out_channels=128,
                          with_avg_pool=True),
        projector_2d=dict(
            type='SelfAttentionProjector',
            mlp=dict(type='MoCoV2Neck', in_channels=512, hid_channels=512, out_channels=128,
                     with_avg_pool=False),
            attention=dict(type='PixelSelfAttention', power=2.0, residual=False))),
    head=dict(type='ContrastiveHead', loss=dict(type='mmcls.CrossEntropyLoss'), temperature=0.2),
    alignment=dict(type='RoIAlignment'),
    head_2d=dict(
        type='ClusterContrastHead',
        clustering=dict(type='ClusterTargets', num_clusters=3, num_iters=10, distance='cosine'),
        loss=dict(type='PixelInfoNCELoss', temperature=0.2)))

optim_wrapper = dict(
    _delete_=True, type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.03, momentum=0.9, weight_decay=1e-4))  # per 256 images
