# MultiSiam on CamVid, the CPU recipe
# under MMPretrain 1.2: configs/multisiam_r18_camvid.py with the host's two lines.
_base_ = ['../multisiam_r18_camvid.py']

default_scope = 'mmpretrain'
custom_imports = dict(imports=['multisiam_mm.mmpretrain'], allow_failed_imports=False)
