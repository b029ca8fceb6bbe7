# Table 1 baseline: MoCo v2 (mmselfsup's recipe: SGD lr 0.03 at batch 256 = 8 GPUs x 32) on Waymo
# camera frames for 325 epochs, like MultiSiam.
_base_ = ['mmselfsup::selfsup/mocov2/mocov2_resnet50_8xb32-coslr-200e_in1k.py']
custom_imports = dict(imports=['multisiam_mm.mmselfsup'], allow_failed_imports=False)

train_pipeline = [
    dict(type='LoadImageOrSkip'),
    dict(type='MultiView', num_views=2, transforms=[{{_base_.view_pipeline}}]),
    dict(type='PackSelfSupInputs', meta_keys=['img_path']),
]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='WaymoCameraParquet',
        data_root='data/waymo/training/camera_image/',
        cameras=['FRONT', 'FRONT_LEFT', 'FRONT_RIGHT', 'SIDE_LEFT', 'SIDE_RIGHT'],
        pipeline=train_pipeline))
param_scheduler = [dict(type='CosineAnnealingLR', by_epoch=True, begin=0)]  # ends at max_epochs
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=325)
# lr 0.03 per 256 images, computed from the real batch (PretrainRunner)
runner_type = 'PretrainRunner'
auto_scale_lr = dict(enable=True, base_batch_size=256)
optim_wrapper = dict(constructor='OnlineOptimWrapperConstructor')  # the momentum encoder left out in one line
