# MultiSiam, ResNet-50, ImageNet-1k train images, 200 epochs, batch 1024 (8 GPUs x 128).
_base_ = [
    '_base_/models/multisiam_r50.py',
    '_base_/datasets/imagenet.py',
    '_base_/pipelines/multisiam.py',
    '_base_/schedules/lars_coslr-200e.py',
    '_base_/default_runtime.py',
]

train_dataloader = dict(
    batch_size=128, num_workers=8, drop_last=True,
    dataset=dict(pipeline={{_base_.train_pipeline}}))