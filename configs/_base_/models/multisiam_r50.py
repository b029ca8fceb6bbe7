# MultiSiam on ResNet-50 (paper Sec. 3, 4.1): offset alignment, K=3 cosine K-means, self-attention; the
# preprocessor, backbone and BYOL's 1D projector and head of byol_parts_r50.py.
_base_ = ['./byol_parts_r50.py']

model = dict(
    type='MultiSiam',
    loss_weight_1d=0.5,  # lambda of Eq. (11)
    base_momentum=0.996,
    end_momentum=1.0,
    data_preprocessor=_base_.view_augment_preprocessor,
    backbone=_base_.resnet50,
    neck=dict(
        type='MultiSiamNeck',
        projector_1d=_base_.byol_projector,
        projector_2d=dict(
            type='ConvMLPNeck',
            in_channels=2048,
            hid_channels=4096,
            out_channels=256,
            norm_cfg=dict(type='SyncBN'))),
    head=_base_.byol_head,  # BYOL's predictor and cosine loss (Eq. 1)
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
