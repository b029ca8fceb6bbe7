# Waymo Open Dataset v2 camera frames, read from the camera_image parquet files, through the
# MultiSiam two-view pipeline (Sec. 4.1: pre-training on Waymo). All five cameras, every frame.
# For random access, rewrite the files with small row groups first (docs/data.md).
_base_ = ['./multisiam_pipeline.py']

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
