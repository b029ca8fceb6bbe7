# MoCo-based MultiSiam (App. B.2) with the CamVid CPU recipe of configs/multisiam_r18_camvid.py
# (configs/_base_/camvid_recipe.py): same ResNet-18, 128 px IoU-constrained pairs, batch, epochs and
# warm-up + cosine schedule; MoCo v2's SGD (lr 0.03 per 256 images, momentum 0.9, weight decay 1e-4) and
# a 1024-key queue for the small data set.
_base_ = [
    '_base_/models/multisiam-moco_r18.py',
    '_base_/camvid_recipe.py',
]

model = dict(queue_len=1024)
optim_wrapper = dict(
    _delete_=True, type='OptimWrapper', constructor='OnlineOptimWrapperConstructor',  # replaces the recipe's LARS
    optimizer=dict(type='SGD', lr=0.03, momentum=0.9, weight_decay=1e-4))  # per 256 images
