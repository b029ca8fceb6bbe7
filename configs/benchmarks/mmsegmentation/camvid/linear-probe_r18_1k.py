# CamVid dense linear probe (cheaper than fine-tuning, more sensitive to representation quality): the
# pre-trained ResNet-18 frozen (all stages, BN in eval mode) at output stride 16, a BN + 1x1 convolution on
# its last map (512 channels), upsampled bilinearly; 256x256 crops, batch 8, 1k iterations; mIoU on val.
#   bash tools/benchmarks/mmseg_train.sh \
#       configs/benchmarks/mmsegmentation/camvid/linear-probe_r18_1k.py CKPT \
#       --cfg-options data_root=../shared/data/camvid
# ResNet-50: --cfg-options model.backbone.depth=50 model.decode_head.in_channels=2048
_base_ = [
    '../_base_/models/fcn-16s_r18.py',
    '../_base_/datasets/camvid.py',
    '../_base_/default_runtime.py',
]
crop_size = (256, 256)
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(frozen_stages=4, norm_eval=True),
    decode_head=dict(
        _delete_=True,
        type='LinearProbeHead',
        in_channels=512,
        in_index=0,
        num_classes=11,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0,
                         avg_non_ignore=True)))

max_iters = 1000
optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0001))
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters, by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=max_iters),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
