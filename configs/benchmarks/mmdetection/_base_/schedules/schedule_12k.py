# A short COCO schedule (paper Appendix C): 12k iterations at batch 16 (8 GPUs x 2), SGD lr 0.02 with 500
# iterations of linear warm-up, x0.1 at 2/3 and 8/9 of training (the 1x schedule's steps, scaled).
# Leaves set by-iteration checkpoints and logging and an infinite sampler.
optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=12000, by_epoch=False, milestones=[8000, 10667], gamma=0.1)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=12000, val_interval=4000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
auto_scale_lr = dict(enable=False, base_batch_size=16)
