# MultiSiam, ResNet-50, SODA5M (SODA10M splits 0, 2, 4, 6, 8), 55 epochs, batch 1024 (8 GPUs x 128).
_base_ = [
    '_base_/models/multisiam_r50.py',
    '_base_/datasets/soda5m.py',
    '_base_/pipelines/multisiam.py',
    '_base_/schedules/lars_coslr-55e.py',
    '_base_/default_runtime.py',
]

train_dataloader = dict(
    batch_size=128, num_workers=8, drop_last=True,
    dataset=dict(pipeline={{_base_.train_pipeline}}))