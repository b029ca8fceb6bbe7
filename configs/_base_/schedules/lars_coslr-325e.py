# LARS, base lr 1.0 per 256 images (Sec. 4.1: lr = 1.0 x batch / 256, 4.0 at batch 1024 = 8 GPUs x 128); the
# runner computes the lr from the real total batch (auto_scale_lr below, PretrainRunner) and logs it.
# Weight decay 1e-5, BN and biases excluded from decay and LARS adaptation; 10 warm-up epochs, then cosine
# to the end of training: the cosine has no `end`/`T_max`, so mmengine ends it at train_cfg.max_epochs
# (325 here) and --cfg-options train_cfg.max_epochs=N moves it.
optimizer = dict(type='LARS', lr=1.0, momentum=0.9, weight_decay=1e-5)
optim_wrapper = dict(
    type='OptimWrapper',
    constructor='OnlineOptimWrapperConstructor',  # the EMA target is left out in one log line, not per tensor
    optimizer=optimizer,
    paramwise_cfg=dict(
        custom_keys={
            'bn': dict(decay_mult=0, lars_exclude=True),
            'bias': dict(decay_mult=0, lars_exclude=True),
            'downsample.1': dict(decay_mult=0, lars_exclude=True),  # BN in ResNet's downsample branch
        }))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=10, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=10, convert_to_iter_based=True),
]
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=325)
auto_scale_lr = dict(enable=True, base_batch_size=256)  # the lr above is per 256 images
