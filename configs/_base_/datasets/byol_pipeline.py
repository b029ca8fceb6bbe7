# BYOL's two-view pipeline, as mmselfsup's imagenet_byol.py: each view crops independently inside
# MultiView and no box is recorded. Shared by the *_byol.py baseline dataset bases. The loader is
# LoadImageOrSkip (same cv2 decode as LoadImageFromFile; also reads Waymo parquet bytes). The per-view
# augmentations are BYOL's, from transforms/byol_view_augment.py.
_base_ = ['./transforms/byol_view_augment.py']

# each view is cropped on its own, then goes through BYOL's augmentation of that view
view_pipeline1, view_pipeline2 = (
    [dict(type='RandomResizedCrop', size=224, interpolation='bicubic', backend='pillow'), *view]
    for view in (_base_.view_pipeline1, _base_.view_pipeline2))

train_pipeline = [
    dict(type='LoadImageOrSkip'),
    dict(type='MultiView', num_views=[1, 1], transforms=[view_pipeline1, view_pipeline2]),
    dict(type='PackSelfSupInputs', meta_keys=['img_path']),
]
