# Table 4, row 1: BYOL (mmselfsup), independent crops, ablation recipe. Paper: 67.2 mIoU.
_base_ = [
    '../_base_/models/byol_r50.py',
    '../_base_/datasets/waymo.py',
    '../_base_/pipelines/byol.py',
    '../_base_/schedules/lars_coslr-150e_accum4.py',
    '../_base_/default_runtime.py',
]

model = dict(base_momentum=0.99)  # the ablation recipe's base momentum (Table 8c)
train_dataloader = dict(
    batch_size=128, num_workers=8, drop_last=True,  # per GPU, 8 GPUs
    dataset=dict(pipeline={{_base_.train_pipeline}}))
