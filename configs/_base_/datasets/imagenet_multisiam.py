# ImageNet-1k train images (mmcls layout: meta/train.txt lists "<class dir>/<file> <label>"; the
# label column is ignored) through the MultiSiam two-view pipeline (Sec. 4.1: ImageNet pre-training).
_base_ = ['./multisiam_pipeline.py']

dataset_type = 'UnlabeledImageList'
data_root = 'data/imagenet/'

train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='SeededSampler', shuffle=True),  # reproducible crops (docs/reliability.md)
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='meta/train.txt',
        data_prefix=dict(img_path='train/'),
        pipeline={{_base_.train_pipeline}}))
