# Pascal VOC detection (paper Appendix C, the MoCo protocol): Faster R-CNN R50-C4 with SyncBN, trained on
# trainval07+12 for 24k iterations at batch 16 (8 GPUs x 2), lr 0.02 with 100 warm-up iterations, x0.1 at
# 18k and 22k; AP, AP50, AP75 on test2007.
#   bash tools/benchmarks/mmdet_dist_train.sh \
#       configs/benchmarks/mmdetection/voc/faster-rcnn_r50-c4_24k.py CKPT 8
_base_ = [
    '../_base_/models/faster-rcnn_r50-c4.py',
    '../_base_/datasets/voc0712.py',
    '../_base_/schedules/schedule_12k.py',  # its optimizer and loops; the steps and length below
    '../_base_/default_runtime.py',
]
model = dict(roi_head=dict(bbox_head=dict(num_classes=20)))
train_dataloader = dict(batch_size=2)

param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=100),
    dict(type='MultiStepLR', begin=0, end=24000, by_epoch=False, milestones=[18000, 22000], gamma=0.1)
]
train_cfg = dict(max_iters=24000)
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=4000))
log_processor = dict(by_epoch=False)
