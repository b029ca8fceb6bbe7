# Cityscapes instance segmentation (paper Sec. 4.2, the MoCo protocol): Mask R-CNN R50-FPN, SyncBN in the
# backbone and FPN, 24k iterations at batch 8 (8 GPUs x 1), lr 0.01, step at 18k, short side 800..1024.
#   bash tools/benchmarks/mmdet_dist_train.sh \
#       configs/benchmarks/mmdetection/cityscapes/mask-rcnn_r50_fpn_24k.py CKPT 8
_base_ = [
    '../_base_/models/mask-rcnn_r50_fpn.py',
    '../_base_/datasets/cityscapes_instance.py',
    '../_base_/schedules/schedule_24k.py',
    '../_base_/default_runtime.py',
]
model = dict(roi_head=dict(bbox_head=dict(num_classes=8), mask_head=dict(num_classes=8)))
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=4000))
log_processor = dict(by_epoch=False)
