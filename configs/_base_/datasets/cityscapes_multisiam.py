# Cityscapes leftImg8bit frames (every *.png under leftImg8bit/train/, recursively) through the
# MultiSiam two-view pipeline. Add train_extra/ with a second dataset or a list file.
_base_ = ['./multisiam_pipeline.py']

dataset_type = 'UnlabeledImageList'
data_root = 'data/cityscapes/'

train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='SeededSampler', shuffle=True),  # reproducible crops (docs/reliability.md)
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='leftImg8bit/train/'),
        pipeline={{_base_.train_pipeline}}))
