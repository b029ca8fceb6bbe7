# the host: MMSelfSup 1.0 (configs/mmpretrain/ set these two lines for MMPretrain 1.2; docs/install.md)
default_scope = 'mmselfsup'
custom_imports = dict(imports=['multisiam_mm.mmselfsup'], allow_failed_imports=False)
# lr = base lr x total batch / 256 from the real batch, GPUs and accumulation (auto_scale_lr in the schedules)
runner_type = 'PretrainRunner'

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # every epoch, 3 kept; written to a temporary file and renamed (multisiam_mm.checkpoints.atomic_writes),
    # so a kill while saving never leaves a truncated checkpoint for --resume
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3, backend_args=dict(backend='atomic_local')),
    # iter_{n}.pth every 500 iterations, the newest 2 kept: a kill loses at most 500 iterations (Waymo at
    # batch 1024: 770 per epoch; SODA5M: 4,900), and with the ResumableEpochBasedTrainLoop of the
    # schedules --resume continues inside the epoch. Override: default_hooks.iter_checkpoint.interval=N
    # (a multiple of optim_wrapper.accumulative_counts; 0 turns the snapshots off)
    iter_checkpoint=dict(type='IterCheckpointHook', interval=500, max_keep_ckpts=2),
    # SIGTERM / SIGUSR1: finish the iteration, checkpoint, exit 143; --resume continues (docs/reliability.md)
    preemption=dict(type='PreemptionHook', signals=['SIGTERM', 'SIGUSR1']),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # one summary of the files LoadImageOrSkip skipped, over all workers and ranks, when training ends
    skipped_files=dict(type='SkippedFilesHook'),
)

# stop at the first NaN/Inf loss term, before a checkpoint can store poisoned weights; move the EMA
# target once per optimizer step when gradients accumulate (optim_wrapper.accumulative_counts > 1)
custom_hooks = [dict(type='NaNGuardHook'), dict(type='OptimStepEMAHook')]

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

log_processor = dict(window_size=10, custom_cfg=[dict(data_src='', method='mean', window_size='global')])

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends, name='visualizer')  # mmengine's: logs only

log_level = 'INFO'
load_from = None
resume = False
# one seed for all ranks: SeededSampler derives every sample's augmentation from (seed, epoch, index),
# so runs are reproducible and resumable whatever the number of processes and workers
randomness = dict(seed=0)
