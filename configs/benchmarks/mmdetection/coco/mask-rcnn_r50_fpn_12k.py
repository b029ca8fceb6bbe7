# COCO Mask R-CNN R50-FPN (paper Appendix C), short schedule: 12k iterations at batch 16.
_base_ = [
    '../_base_/models/mask-rcnn_r50_fpn_4conv1fc.py',
    '../_base_/datasets/coco_instance.py',
    '../_base_/schedules/schedule_12k.py',
    '../_base_/default_runtime.py',
]
train_dataloader = dict(sampler=dict(type='InfiniteSampler', shuffle=True))
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=4000))
log_processor = dict(by_epoch=False)
