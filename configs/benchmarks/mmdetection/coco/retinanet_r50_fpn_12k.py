# COCO RetinaNet R50-FPN (paper Appendix C), short schedule: 12k iterations at batch 16, lr 0.01.
_base_ = ['../_base_/retinanet_r50_fpn_coco.py', '../_base_/schedules/schedule_12k.py']
optim_wrapper = dict(optimizer=dict(lr=0.01))
train_dataloader = dict(sampler=dict(type='InfiniteSampler', shuffle=True))
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=4000))
log_processor = dict(by_epoch=False)
