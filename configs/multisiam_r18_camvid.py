# MultiSiam, ResNet-18, CamVid street frames at 128 px: pre-trains on one CPU in minutes.
# Bundled demo frames by default (bash tools/run_demo.sh); the 367 CamVid train frames:
#   python tools/train.py configs/multisiam_r18_camvid.py \
#       --cfg-options train_dataloader.dataset.data_root=../shared/data/camvid/
_base_ = [
    '_base_/models/multisiam_r50.py',
    '_base_/datasets/camvid_multisiam.py',
    '_base_/schedules/lars_coslr-200e.py',
    '_base_/default_runtime.py',
]

crop_size = 128  # final map 4 x 4
batch_size = 16
max_epochs = 40
warmup_epochs = 2
width = 1024  # projector / predictor hidden channels
dim = 128  # projection channels

model = dict(
    base_momentum=0.99,
    backbone=dict(depth=18),
    neck=dict(
        projector_1d=dict(in_channels=512, hid_channels=width, out_channels=dim),
        projector_2d=dict(in_channels=512, hid_channels=width, out_channels=dim)),
    head=dict(predictor=dict(in_channels=dim, hid_channels=width, out_channels=dim)),
    head_2d=dict(predictor=dict(in_channels=dim + 2, hid_channels=width, out_channels=dim)))

train_pipeline = [
    # exact full-resolution decoding: on 480x360 frames decoding is cheap, and every CamVid method
    # (BYOL's MultiView included) then sees identical pixels
    dict(type='LoadAndPairCrop', size=crop_size, iou_threshold=0.5, interpolation='bicubic', backend='pillow',
         decode='full'),
    dict(type='PerViewAugment', transforms=[{{_base_.view_pipeline1}}, {{_base_.view_pipeline2}}]),
    dict(type='PackSelfSupInputs', key='img', pseudo_label_keys=['crop_boxes', 'flipped'],
         meta_keys=['img_path', 'ori_shape']),
]
train_dataloader = dict(
    batch_size=batch_size, num_workers=2, drop_last=True, dataset=dict(pipeline=train_pipeline))

# lr = 1.0 x batch / 256 (0.0625 at batch 16), computed by the runner from the real batch (schedule's
# auto_scale_lr); the cosine ends at max_epochs
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=warmup_epochs, convert_to_iter_based=True),
]
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=max_epochs)
default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(interval=10, max_keep_ckpts=2))
