# BDD100K 100k-image train split (every *.jpg under images/100k/train/) through the MultiSiam
# two-view pipeline.
_base_ = ['./multisiam_pipeline.py']

dataset_type = 'UnlabeledImageList'
data_root = 'data/bdd100k/'

train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='SeededSampler', shuffle=True),  # reproducible crops (docs/reliability.md)
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='images/100k/train/'),
        pipeline={{_base_.train_pipeline}}))
