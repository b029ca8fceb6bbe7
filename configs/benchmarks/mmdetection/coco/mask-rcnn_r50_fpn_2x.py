# COCO Mask R-CNN R50-FPN (paper Appendix C), 2x schedule: 24 epochs at batch 16, x0.1 at 16 and 22.
_base_ = [
    '../_base_/models/mask-rcnn_r50_fpn_4conv1fc.py',
    '../_base_/datasets/coco_instance.py',
    'mmdet::_base_/schedules/schedule_2x.py',
    '../_base_/default_runtime.py',
]
