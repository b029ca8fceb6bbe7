# CamVid frames through BYOL's two-view pipeline (independent crops, byol_pipeline.py).
_base_ = ['./byol_pipeline.py']

dataset_type = 'UnlabeledImageList'
data_root = 'demo/camvid/'

train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='SeededSampler', shuffle=True),  # reproducible crops (docs/reliability.md)
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='train/'),
        pipeline={{_base_.train_pipeline}}))
