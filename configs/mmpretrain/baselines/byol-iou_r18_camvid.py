# BYOL + IoU threshold 0.5 on CamVid, the CPU recipe
# under MMPretrain 1.2: configs/baselines/byol-iou_r18_camvid.py,
# with the host's two lines, run by mmpretrain's own BYOL.
_base_ = ['../../baselines/byol-iou_r18_camvid.py']

default_scope = 'mmpretrain'
custom_imports = dict(imports=['multisiam_mm.mmpretrain'], allow_failed_imports=False)
# mmpretrain's CosineEMA takes the weight of the online network, 1 - tau: tau = 0.99 rising to 1
model = dict(base_momentum=0.01)
