# MultiSiam on ResNet-50 (paper Sec. 3, 4.1): offset alignment, K=3 cosine K-means, self-attention.
model = dict(
    type='MultiSiam',
    loss_weight_1d=0.5,  # lambda of Eq. (11)
    base_momentum=0.996,
    end_momentum=1.0,
    data_preprocessor=dict(
        type='ViewAugmentPreprocessor',  # applies the augmentation PerViewAugment(on_device=True) drew
        mean=(123.675, 116.28, 103.53),
        std=(58.395, 57.12, 57.375),
        bgr_to_rgb=True),
    backbone=dict(
        type='ResNet',
        depth=50,
        in_channels=3,
        out_indices=[4],  # the final 2D map F
        norm_cfg=dict(type='SyncBN')),
    neck=dict(
        type='MultiSiamNeck',
        projector_1d=dict(
            type='NonLinearNeck',
            in_channels=2048,
            hid_channels=4096,
            out_channels=256,
            num_layers=2,
            with_bias=True,
            with_last_bn=False,
            with_avg_pool=True),
        projector_2d=dict(
            type='ConvMLPNeck',
            in_channels=2048,
            hid_channels=4096,
            out_channels=256,
            norm_cfg=dict(type='SyncBN'))),
    head=dict(
        type='LatentPredictHead',
        predictor=dict(
            type='NonLinearNeck',
            in_channels=256,
            hid_channels=4096,
            out_channels=256,
            num_layers=2,
            with_bias=True,
            with_last_bn=False,
            with_avg_pool=False),
        loss=dict(type='CosineSimilarityLoss')),
    alignment=dict(type='OffsetAlignment', normalize=True),
    head_2d=dict(
        type='ClusterConsistencyHead',
        predictor=dict(
            type='ConvMLPNeck',
            in_channels=256 + 2,  # G and the offset map Delta C (Eq. 6)
            hid_channels=4096,
            out_channels=256,
            norm_cfg=dict(type='SyncBN')),
        attention=dict(type='PixelSelfAttention', power=2.0, residual=False),
        clustering=dict(type='ClusterTargets', num_clusters=3, num_iters=10, distance='cosine'),
        loss=dict(type='ClusterConsistencyLoss')),
)
