# FCN-16s on a MultiSiam ResNet-18, the CamVid benchmark's model: the backbone at output stride 16, two
# 3x3 convs of 128 channels with dilation 6, then a 1x1 classifier; SyncBN (BN on CPU); no auxiliary head.
# The pre-training checkpoint is read from `pretrain_checkpoint` only (see fcn-16s_r50.py).
pretrain_checkpoint = None  # a MultiSiam training checkpoint (backbone.*, target_net.*, neck.*, head.*)
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255),
    backbone=dict(
        type='ResNet',
        depth=18,
        num_stages=4,
        out_indices=(3, ),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        contract_dilation=True,
        init_cfg=dict(type='Pretrained', checkpoint=pretrain_checkpoint, prefix='backbone.')),
    decode_head=dict(
        type='FCNHead',
        in_channels=512,
        in_index=0,
        channels=128,
        num_convs=2,
        dilation=6,
        concat_input=False,
        dropout_ratio=0.1,
        num_classes=11,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0, avg_non_ignore=True)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
