# The paper's ablation recipe (Sec. 4.3, App. D; every row of Tables 2-4, 8, 9): 150 epochs, base lr 0.3,
# batch 1024 (8 GPUs x 128) with "parameters updated every four iterations to mimic a batch size of 4096
# following BYOL"; LARS, weight decay 1e-5, BN and biases excluded as in the main recipe. The ablation
# base momentum 0.99 is a model key (configs/_base_/multisiam-ablation_r50_waymo.py).
#
# lr scaling (lr = base x batch / 256; the paper leaves open which batch): the effective batch, 4096, so
# lr = 0.3 x 4096 / 256 = 4.8 (PretrainRunner counts the accumulation in the batch). Why: the rows are said to mimic batch 4096, and mmengine's accumulation
# averages the gradient over all 4096 images (each loss is divided by accumulative_counts), so the step
# sees a 4096 batch; and base lr 0.3 at 4096 is LARS lr 4.8, the BYOL recipe of the paper's codebase
# lineage (OpenSelfSup / MMSelfSup BYOL at batch 4096). The other reading, 0.3 x 1024 / 256 = 1.2,
# is one override away: optim_wrapper.optimizer.lr=0.075 (0.075 x 4096 / 256 = 1.2).
# Warm-up: 10 epochs, as the main recipe (the paper gives none for either).
# The EMA target moves once per optimizer step, not per forward: OptimStepEMAHook (default_runtime.py).
optimizer = dict(type='LARS', lr=0.3, momentum=0.9, weight_decay=1e-5)  # per 256 images
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=optimizer,
    accumulative_counts=4,
    paramwise_cfg=dict(
        custom_keys={
            'bn': dict(decay_mult=0, lars_exclude=True),
            'bias': dict(decay_mult=0, lars_exclude=True),
            'downsample.1': dict(decay_mult=0, lars_exclude=True),  # BN in ResNet's downsample branch
        }))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=10, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=10, convert_to_iter_based=True),  # to max_epochs
]
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=150)
auto_scale_lr = dict(enable=True, base_batch_size=256)  # batch: per GPU x GPUs x accumulative_counts
