# LARS, base lr 1.0 x batch / 256 (lr 4.0 at batch 1024 = 8 GPUs x 128), weight decay 1e-5, BN and biases
# excluded from decay and LARS adaptation; 10 warm-up epochs then cosine to 200 epochs (paper Sec. 4.1).
optimizer = dict(type='LARS', lr=1.0 * 1024 / 256, momentum=0.9, weight_decay=1e-5)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=optimizer,
    paramwise_cfg=dict(
        custom_keys={
            'bn': dict(decay_mult=0, lars_exclude=True),
            'bias': dict(decay_mult=0, lars_exclude=True),
            'downsample.1': dict(decay_mult=0, lars_exclude=True),  # BN in ResNet's downsample branch
        }))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=10, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=200 - 10, by_epoch=True, begin=10, end=200,
         convert_to_iter_based=True),
]
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=200)
# the lr above is for this total batch; `--auto-scale-lr`-style rescaling: lr = 1.0 * total_batch / 256
auto_scale_lr = dict(base_batch_size=1024)
