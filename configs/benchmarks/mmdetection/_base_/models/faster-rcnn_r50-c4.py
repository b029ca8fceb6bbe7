# Faster R-CNN R50-C4 fine-tuned end to end from a MultiSiam backbone (MoCo's VOC protocol): res2-res4 are
# the backbone, res5 is the RoI head's shared ResLayer; both load from the checkpoint's `backbone.*`
# (the shared head takes its layer4.*). SyncBN everywhere, pytorch-style strides and RGB input normalized
# like the pre-training (mmdet's C4 base is a caffe-style, BGR, frozen-BN detectron2 model).
# The checkpoint is read from `pretrain_checkpoint` only (see mask-rcnn_r50_fpn.py).
_base_ = 'mmdet::_base_/models/faster-rcnn_r50-caffe-c4.py'

pretrain_checkpoint = None  # a MultiSiam training checkpoint (backbone.*, target_net.*, neck.*, head.*)
norm_cfg = dict(type='SyncBN', requires_grad=True)

model = dict(
    data_preprocessor=dict(
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], bgr_to_rgb=True),
    backbone=dict(
        frozen_stages=-1,
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        init_cfg=dict(type='Pretrained', checkpoint=pretrain_checkpoint, prefix='backbone.')),
    roi_head=dict(
        shared_head=dict(
            style='pytorch',
            norm_cfg=norm_cfg,
            norm_eval=False,
            init_cfg=dict(type='Pretrained', checkpoint=pretrain_checkpoint, prefix='backbone.'))))
