# BDD100K instance segmentation (paper Sec. 4.2): the Cityscapes Mask R-CNN R50-FPN recipe (SyncBN
# backbone and FPN, 24k iterations at batch 8, lr 0.01, step at 18k) on the 8 BDD100K instance classes.
#   bash tools/benchmarks/mmdet_dist_train.sh \
#       configs/benchmarks/mmdetection/bdd100k/mask-rcnn_r50_fpn_24k.py CKPT 8
# Needs the COCO-format annotations of the BDD100K toolkit: docs/benchmarks.md.
_base_ = [
    '../_base_/models/mask-rcnn_r50_fpn.py',
    '../_base_/datasets/bdd100k_instance.py',
    '../_base_/schedules/schedule_24k.py',
    '../_base_/default_runtime.py',
]
model = dict(roi_head=dict(bbox_head=dict(num_classes=8), mask_head=dict(num_classes=8)))
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=4000))
log_processor = dict(by_epoch=False)
