# MoCo-based MultiSiam (App. B.2, Table 1 "MultiSiam††"), ResNet-50, Waymo camera frames, 325 epochs,
# batch 1024 (8 GPUs x 128), with the IoU-constrained pair crop of MultiSiam.
#   bash tools/dist_train.sh configs/multisiam-moco_r50_waymo.py 8
# Schedule: MoCo v2's SGD recipe (mmselfsup sgd_coslr-200e_in1k: lr 0.03 per 256 images, momentum 0.9,
# weight decay 1e-4, cosine), lr 0.03 per 256 images scaled by the runner to the real batch (0.12 at 1024),
# stretched to 325 epochs like MultiSiam's. Memory: the 2D logits are (128 x 49) pixels x 65537 keys per GPU, ~1.6 GB per fp32 copy;
# lower model.queue_len (it need not divide the batch) if that does not fit.
_base_ = [
    '_base_/models/multisiam-moco_r50.py',
    '_base_/datasets/waymo.py',
    '_base_/pipelines/multisiam.py',
    'mmselfsup::selfsup/_base_/schedules/sgd_coslr-200e_in1k.py',
    '_base_/default_runtime.py',
]

batch_size = 128  # per GPU
max_epochs = 325

train_dataloader = dict(
    batch_size=batch_size, num_workers=8, drop_last=True,
    dataset=dict(pipeline={{_base_.train_pipeline}}))
optim_wrapper = dict(constructor='OnlineOptimWrapperConstructor', optimizer=dict(lr=0.03))  # lr per 256 images
param_scheduler = [dict(type='CosineAnnealingLR', by_epoch=True, begin=0)]  # ends at max_epochs
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=max_epochs)
auto_scale_lr = dict(enable=True, base_batch_size=256)
