# MultiSiam on SODA5M (Table 1)
# under MMPretrain 1.2: configs/multisiam_r50_soda5m.py with the host's two lines.
_base_ = ['../multisiam_r50_soda5m.py']

default_scope = 'mmpretrain'
custom_imports = dict(imports=['multisiam_mm.mmpretrain'], allow_failed_imports=False)
