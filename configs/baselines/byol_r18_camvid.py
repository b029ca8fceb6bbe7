# Plain BYOL (independent crops, mmselfsup's MultiView) with the CamVid CPU recipe of
# configs/multisiam_r18_camvid.py: same backbone, widths, crop size, optimizer and schedule.
_base_ = ['./byol-iou_r18_camvid.py']

crop_size = 128
photometric = dict(
    color=dict(type='RandomApply', prob=0.8, transforms=[
        dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)]),
    gray=dict(type='RandomGrayscale', prob=0.2, keep_channels=True, channel_weights=(0.114, 0.587, 0.2989)))
view_pipeline1 = [
    dict(type='RandomResizedCrop', size=crop_size, interpolation='bicubic', backend='pillow'),
    dict(type='RandomFlip', prob=0.5),
    photometric['color'],
    photometric['gray'],
    dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0, prob=1.),
    dict(type='RandomSolarize', prob=0.),
]
view_pipeline2 = [
    dict(type='RandomResizedCrop', size=crop_size, interpolation='bicubic', backend='pillow'),
    dict(type='RandomFlip', prob=0.5),
    photometric['color'],
    photometric['gray'],
    dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0, prob=0.1),
    dict(type='RandomSolarize', prob=0.2),
]
train_pipeline = [
    dict(type='LoadImageOrSkip'),
    dict(type='MultiView', num_views=[1, 1], transforms=[view_pipeline1, view_pipeline2]),
    dict(type='PackSelfSupInputs', meta_keys=['img_path']),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
