# "BYOL + IoU threshold" (Table 4, row 2) with the CamVid CPU recipe of configs/multisiam_r18_camvid.py
# (configs/_base_/camvid_recipe.py): the same IoU-constrained pair crop, backbone, widths, optimizer and
# schedule; BYOL's 1D loss only (the model ignores the packed boxes and flips).
_base_ = [
    '../_base_/models/byol_r18.py',
    '../_base_/camvid_recipe.py',
]

model = dict(base_momentum=0.99)
