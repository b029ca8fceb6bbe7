# Waymo v2 camera frames through BYOL's two-view pipeline (independent crops, byol_pipeline.py).
_base_ = ['./byol_pipeline.py']

dataset_type = 'WaymoCameraParquet'
data_root = 'data/waymo/training/camera_image/'

train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='SeededSampler', shuffle=True),  # reproducible crops (docs/reliability.md)
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        cameras=['FRONT', 'FRONT_LEFT', 'FRONT_RIGHT', 'SIDE_LEFT', 'SIDE_RIGHT'],
        every_nth_frame=1,
        pipeline={{_base_.train_pipeline}}))
