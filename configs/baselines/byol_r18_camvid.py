# Plain BYOL (independent crops, mmselfsup's MultiView) with the CamVid CPU recipe of
# configs/multisiam_r18_camvid.py (configs/_base_/camvid_recipe.py): same backbone, widths, crop size,
# optimizer and schedule.
_base_ = [
    '../_base_/models/byol_r18.py',
    '../_base_/camvid_recipe.py',
]

model = dict(base_momentum=0.99)

# BYOL's pipeline (configs/_base_/pipelines/byol.py) at the recipe's crop size: each view is
# cropped on its own, then goes through BYOL's augmentation of that view
view_pipeline1, view_pipeline2 = (
    [dict(type='RandomResizedCrop', size=_base_.crop_size, interpolation='bicubic', backend='pillow'), *view]
    for view in (_base_.view_pipeline1, _base_.view_pipeline2))
train_pipeline = [
    dict(type='LoadImageOrSkip'),
    dict(type='MultiView', num_views=[1, 1], transforms=[view_pipeline1, view_pipeline2]),
    dict(type='PackSelfSupInputs', meta_keys=['img_path']),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
