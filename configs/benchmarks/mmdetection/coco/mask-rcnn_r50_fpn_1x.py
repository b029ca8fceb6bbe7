# COCO instance segmentation (paper Appendix C, the MoCo protocol): Mask R-CNN R50-FPN with SyncBN in the
# backbone, FPN and heads (4conv1fc box head); 1x schedule: 12 epochs at batch 16, lr 0.02, x0.1 at 8, 11.
#   bash tools/benchmarks/mmdet_dist_train.sh \
#       configs/benchmarks/mmdetection/coco/mask-rcnn_r50_fpn_1x.py CKPT 8
_base_ = [
    '../_base_/models/mask-rcnn_r50_fpn_4conv1fc.py',
    '../_base_/datasets/coco_instance.py',
    'mmdet::_base_/schedules/schedule_1x.py',
    '../_base_/default_runtime.py',
]
