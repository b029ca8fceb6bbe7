# mmselfsup's BYOL (ResNet-50, projector 4096 -> 256, momentum 0.99 -> 1) with the data preprocessor that
# applies the views' augmentation on the training device when the pipeline leaves it there
# (PerViewAugment(on_device=True)): the BYOL baselines then feed the model exactly as MultiSiam does.
_base_ = ['mmselfsup::selfsup/_base_/models/byol.py']

# (registered in mmengine's root registry: found unscoped under any host's default scope)
model = dict(data_preprocessor=dict(type='ViewAugmentPreprocessor'))
