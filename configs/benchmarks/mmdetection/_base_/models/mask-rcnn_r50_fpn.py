# Mask R-CNN R50-FPN fine-tuned end to end from a MultiSiam backbone: no frozen stage, SyncBN (trained
# statistics) in the backbone and the FPN, as in the MoCo detection protocol.
#
# The pre-training checkpoint is read from `pretrain_checkpoint` only. Set it with
#   bash tools/benchmarks/mmdet_train.sh CONFIG CKPT          (or --cfg-options pretrain_checkpoint=CKPT)
# With mmdet's own tools/train.py use --cfg-options model.backbone.init_cfg.checkpoint=CKPT instead.
_base_ = 'mmdet::_base_/models/mask-rcnn_r50_fpn.py'

pretrain_checkpoint = None  # a MultiSiam training checkpoint (backbone.*, target_net.*, neck.*, head.*)
norm_cfg = dict(type='SyncBN', requires_grad=True)

model = dict(
    backbone=dict(
        frozen_stages=-1,
        norm_cfg=norm_cfg,
        norm_eval=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrain_checkpoint, prefix='backbone.')),
    neck=dict(norm_cfg=norm_cfg))
