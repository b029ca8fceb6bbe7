# BYOL's per-view augmentations (mmselfsup's imagenet_byol.py), written once. The paper keeps "all the
# augmentation parameters the same with BYOL" (Sec. 4.1), so every two-view pipeline builds its views
# from these two lists, which hold what follows the crop: MultiSiam's pipeline (multisiam.py) and BYOL's
# (byol.py, the same without the IoU constraint) run them after the pair crop (PerViewAugment), and the
# CamVid configs reuse them at 128 px (byol_r18_camvid.py behind mmselfsup's RandomResizedCrop).
# Flip, colour jitter and grayscale are the same in both views; blur and solarize are asymmetric.
view_pipeline1 = [
    dict(type='RandomFlip', prob=0.5),
    dict(
        type='RandomApply',
        transforms=[dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)],
        prob=0.8),
    dict(type='RandomGrayscale', prob=0.2, keep_channels=True, channel_weights=(0.114, 0.587, 0.2989)),
    dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0, prob=1.),  # view 1: always blurred
    dict(type='RandomSolarize', prob=0.),  # never solarized
]
view_pipeline2 = view_pipeline1[:3] + [
    dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0, prob=0.1),  # view 2: rarely blurred
    dict(type='RandomSolarize', prob=0.2),  # sometimes solarized
]
