# FCN-16s on a MultiSiam ResNet-50 (paper Sec. 4.2, the MoCo segmentation protocol): the backbone at output
# stride 16 (conv5 with stride 1 and dilation 2), two 3x3 convs of 256 channels with dilation 6, BN and
# ReLU, then a 1x1 classifier; SyncBN throughout; no auxiliary head.
#
# The pre-training checkpoint is read from `pretrain_checkpoint` only. Set it with
#   bash tools/benchmarks/mmseg_train.sh CONFIG CKPT          (or --cfg-options pretrain_checkpoint=CKPT)
# With mmseg's own tools/train.py use --cfg-options model.backbone.init_cfg.checkpoint=CKPT instead.
#
# mmseg's FCN base uses ResNetV1c (deep stem, stem.*) and pretrained='open-mmlab://resnet50_v1c'; an SSL
# ResNet has the plain stem conv1/bn1, so the backbone type is the plain ResNet and `pretrained` is cleared,
# otherwise the stem would silently stay random.
_base_ = 'mmseg::_base_/models/fcn_r50-d8.py'

pretrain_checkpoint = None  # a MultiSiam training checkpoint (backbone.*, target_net.*, neck.*, head.*)

model = dict(
    pretrained=None,
    backbone=dict(
        type='ResNet',
        depth=50,
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        init_cfg=dict(type='Pretrained', checkpoint=pretrain_checkpoint, prefix='backbone.')),
    decode_head=dict(channels=256, num_convs=2, dilation=6, concat_input=False),
    auxiliary_head=None)
