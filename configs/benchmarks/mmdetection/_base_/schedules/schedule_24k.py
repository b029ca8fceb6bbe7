# 24k iterations at batch 8 (8 GPUs x 1), SGD lr 0.01 with 1k linear warm-up, x0.1 at 18k: detectron2's
# Cityscapes Mask R-CNN schedule (MoCo protocol). Leaves set by-iteration checkpoints and logging.
optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=1000),
    dict(type='MultiStepLR', begin=0, end=24000, by_epoch=False, milestones=[18000], gamma=0.1)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=24000, val_interval=4000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
auto_scale_lr = dict(enable=False, base_batch_size=8)
