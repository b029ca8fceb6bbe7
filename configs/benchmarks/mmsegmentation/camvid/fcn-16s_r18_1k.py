# CamVid fine-tuning, the project's small real benchmark (runs on a CPU): FCN-16s on a ResNet-18 (the
# backbone of the project's CamVid pre-training), 256x256 crops of frames rescaled by 0.5..1.5, batch 8,
# 1k iterations (about 25 minutes on 2 CPU cores); mIoU over the 11 classes on val at 480x360, void ignored.
#   bash tools/benchmarks/mmseg_train.sh configs/benchmarks/mmsegmentation/camvid/fcn-16s_r18_1k.py CKPT \
#       --cfg-options data_root=data/camvid
# ResNet-50: --cfg-options model.backbone.depth=50 model.decode_head.in_channels=2048
_base_ = [
    '../_base_/models/fcn-16s_r18.py',
    '../_base_/datasets/camvid.py',
    '../_base_/schedules/schedule_90k.py',  # its optimizer, loops and hooks, shortened below
    '../_base_/default_runtime.py',
]
crop_size = (256, 256)
model = dict(data_preprocessor=dict(size=crop_size))

max_iters = 1000
optim_wrapper = dict(optimizer=dict(weight_decay=0.0005))
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters, by_epoch=False)]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=max_iters))
