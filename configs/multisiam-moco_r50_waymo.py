# MoCo-based MultiSiam (App. B.2, Table 1 "MultiSiam††"), ResNet-50, Waymo camera frames, 325 epochs,
# batch 1024 (8 GPUs x 128), with the IoU-constrained pair crop of MultiSiam.
#   bash tools/dist_train.sh configs/multisiam-moco_r50_waymo.py 8
# Schedule: MoCo v2's SGD recipe (mmselfsup sgd_coslr-200e_in1k: lr 0.03 per 256 images, momentum 0.9,
# weight decay 1e-4, cosine) scaled linearly to batch 1024 (lr 0.12) and stretched to 325 epochs like
# MultiSiam's. Memory: the 2D logits are (128 x 49) pixels x 65537 keys per GPU, ~1.6 GB per fp32 copy;
# lower model.queue_len (it need not divide the batch) if that does not fit.
_base_ = [
    '_base_/models/multisiam-moco_r50.py',
    '_base_/datasets/waymo_multisiam.py',
    'mmselfsup::selfsup/_base_/schedules/sgd_coslr-200e_in1k.py',
    '_base_/default_runtime.py',
]

batch_size = 128  # per GPU
num_gpus = 8
max_epochs = 325

train_dataloader = dict(batch_size=batch_size, num_workers=8, drop_last=True)
optim_wrapper = dict(optimizer=dict(lr=0.03 * batch_size * num_gpus / 256))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, by_epoch=True, begin=0, end=max_epochs)]
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=max_epochs)
# the lr above is for this total batch; `--auto-scale-lr` rescales it linearly for other GPU counts
auto_scale_lr = dict(base_batch_size=batch_size * num_gpus)
