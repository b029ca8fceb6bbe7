# Plain BYOL (independent crops) with the CamVid CPU recipe of
# configs/multisiam_r18_camvid.py (configs/_base_/camvid_recipe.py): same backbone, widths, crop size,
# optimizer and schedule.
_base_ = [
    '../_base_/models/byol_r18.py',
    '../_base_/camvid_recipe.py',
]

model = dict(base_momentum=0.99)

# BYOL's pipeline (configs/_base_/pipelines/byol.py): the recipe's with independent crops (no IoU constraint)
train_pipeline = [dict(_base_.train_pipeline[0], iou_threshold=None), *_base_.train_pipeline[1:]]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
