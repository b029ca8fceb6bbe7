# BYOL (ResNet-50, projector 4096 -> 256, the target an EMA with momentum rising to 1), written out so both
# hosts read it (byol_parts_r50.py: the parts, as both hosts' BYOL configs name them). base_momentum is tau,
# the weight the target keeps (mmselfsup's convention); mmpretrain's BYOL takes 1 - tau
# (configs/mmpretrain/baselines/). The data preprocessor applies the views' augmentation on the training
# device when the pipeline leaves it there: the BYOL baselines then feed the model exactly as MultiSiam does.
_base_ = ['./byol_parts_r50.py']

model = dict(
    type='BYOL',
    base_momentum=0.99,
    data_preprocessor=_base_.view_augment_preprocessor,
    backbone=_base_.resnet50,
    neck=_base_.byol_projector,
    head=_base_.byol_head,
)
