# Mask R-CNN R50-FPN of the MoCo COCO protocol: SyncBN also in the heads, with a 4conv1fc box head.
_base_ = './mask-rcnn_r50_fpn.py'

norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    roi_head=dict(
        bbox_head=dict(type='Shared4Conv1FCBBoxHead', conv_out_channels=256, norm_cfg=norm_cfg),
        mask_head=dict(norm_cfg=norm_cfg)))
