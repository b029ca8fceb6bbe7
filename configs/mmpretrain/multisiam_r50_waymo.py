# MultiSiam on Waymo Open front-camera frames (the paper's main recipe)
# under MMPretrain 1.2: configs/multisiam_r50_waymo.py with the host's two lines.
_base_ = ['../multisiam_r50_waymo.py']

default_scope = 'mmpretrain'
custom_imports = dict(imports=['multisiam_mm.mmpretrain'], allow_failed_imports=False)
