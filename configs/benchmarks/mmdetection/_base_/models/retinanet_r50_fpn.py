# RetinaNet R50-FPN fine-tuned end to end from a MultiSiam backbone: no frozen stage, SyncBN in the
# backbone and the FPN. The checkpoint is read from `pretrain_checkpoint` only (see mask-rcnn_r50_fpn.py).
_base_ = 'mmdet::_base_/models/retinanet_r50_fpn.py'

pretrain_checkpoint = None  # a MultiSiam training checkpoint (backbone.*, target_net.*, neck.*, head.*)
norm_cfg = dict(type='SyncBN', requires_grad=True)

model = dict(
    backbone=dict(
        frozen_stages=-1,
        norm_cfg=norm_cfg,
        norm_eval=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrain_checkpoint, prefix='backbone.')),
    neck=dict(norm_cfg=norm_cfg))
