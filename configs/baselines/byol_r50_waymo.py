# Table 1 baseline: BYOL (mmselfsup) on Waymo camera frames with MultiSiam's recipe (LARS, 325 epochs,
# batch 1024, momentum 0.996 -> 1), independent crops.
_base_ = [
    '../_base_/models/byol_r50.py',
    '../_base_/datasets/waymo.py',
    '../_base_/pipelines/byol.py',
    '../_base_/schedules/lars_coslr-325e.py',
    '../_base_/default_runtime.py',
]

model = dict(base_momentum=0.996)
train_dataloader = dict(
    batch_size=128, num_workers=8, drop_last=True,
    dataset=dict(pipeline={{_base_.train_pipeline}}))