# BYOL's two-view pipeline, as mmselfsup's imagenet_byol.py: each view crops independently inside
# MultiView and no box is recorded. Shared by the *_byol.py baseline dataset bases. The loader is
# LoadImageOrSkip (same cv2 decode as LoadImageFromFile; also reads Waymo parquet bytes).

view_pipeline1 = [
    dict(type='RandomResizedCrop', size=224, interpolation='bicubic', backend='pillow'),
    dict(type='RandomFlip', prob=0.5),
    dict(
        type='RandomApply',
        transforms=[dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)],
        prob=0.8),
    dict(type='RandomGrayscale', prob=0.2, keep_channels=True, channel_weights=(0.114, 0.587, 0.2989)),
    dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0, prob=1.),
    dict(type='RandomSolarize', prob=0.),
]
view_pipeline2 = [
    dict(type='RandomResizedCrop', size=224, interpolation='bicubic', backend='pillow'),
    dict(type='RandomFlip', prob=0.5),
    dict(
        type='RandomApply',
        transforms=[dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)],
        prob=0.8),
    dict(type='RandomGrayscale', prob=0.2, keep_channels=True, channel_weights=(0.114, 0.587, 0.2989)),
    dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0, prob=0.1),
    dict(type='RandomSolarize', prob=0.2),
]

train_pipeline = [
    dict(type='LoadImageOrSkip'),
    dict(type='MultiView', num_views=[1, 1], transforms=[view_pipeline1, view_pipeline2]),
    dict(type='PackSelfSupInputs', meta_keys=['img_path']),
]
