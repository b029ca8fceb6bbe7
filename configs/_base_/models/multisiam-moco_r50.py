# MoCo-based MultiSiam on ResNet-50 (paper App. B.2, Table 1 "MultiSiam††"): mmselfsup's MoCo v2
# (queue 65536, 128-d BN-free projector, momentum 0.999, temperature 0.2, shuffle BN) plus the 2D branch:
# RoIAlign of the backbone maps (Eq. 16-17), self-attention in the online 2D projector (Eq. 18),
# momentum 2D projector (Eq. 19), K=3 cosine K-means positives and per-pixel InfoNCE (Eq. 20-21).
_base_ = ['./byol_parts_r50.py']

model = dict(
    type='MultiSiamMoCo',
    queue_len=65536,
    feat_dim=128,
    loss_weight_1d=0.5,  # lambda of Eq. (11)
    base_momentum=0.999,  # MoCo v2's constant momentum
    end_momentum=0.999,
    data_preprocessor=_base_.view_augment_preprocessor,
    backbone=dict(_base_.resnet50, norm_cfg=dict(type='BN')),  # per-GPU BN with shuffle BN, as MoCo v2
    neck=dict(
        type='MultiSiamNeck',
        projector_1d=dict(
            type='MoCoV2Neck', in_channels=2048, hid_channels=2048, out_channels=128, with_avg_pool=True),
        projector_2d=dict(
            type='SelfAttentionProjector',
            # MoCo v2's fc-relu-fc at every pixel (a 1x1-conv MLP), own weights like DenseCL's dense head
            mlp=dict(
                type='MoCoV2Neck', in_channels=2048, hid_channels=2048, out_channels=128,
                with_avg_pool=False),
            attention=dict(type='PixelSelfAttention', power=2.0, residual=False))),
    head=dict(type='ContrastiveHead', loss=dict(type='mmcls.CrossEntropyLoss'), temperature=0.2),
    alignment=dict(type='RoIAlignment'),
    head_2d=dict(
        type='ClusterContrastHead',
        clustering=dict(type='ClusterTargets', num_clusters=3, num_iters=10, distance='cosine'),
        loss=dict(type='PixelInfoNCELoss', temperature=0.2)),
)
