# CamVid dense linear probe (cheaper than fine-tuning, more sensitive to representation quality): the
# pre-trained ResNet-18 frozen (all stages, BN in eval mode) at output stride 16, a BN + 1x1 convolution on
# its last map (512 channels), upsampled bilinearly; 256x256 crops, batch 8, 1k iterations; mIoU on val.
#   bash tools/benchmarks/mmseg_train.sh \
#       configs/benchmarks/mmsegmentation/camvid/linear-probe_r18_1k.py CKPT \
#       --cfg-options data_root=data/camvid
# ResNet-50: --cfg-options model.backbone.depth=50 model.decode_head.in_channels=2048
# Everything but the head, the frozen backbone and the learning rate is the fine-tune's schedule and runtime.
_base_ = ['./fcn-16s_r18_1k.py']
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    backbone=dict(frozen_stages=4, norm_eval=True),
    decode_head=dict(
        _delete_=True,
        type='LinearProbeHead',
        in_channels=512,
        in_index=0,
        num_classes=11,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0,
                         avg_non_ignore=True)))
optim_wrapper = dict(optimizer=dict(lr=0.1, weight_decay=0.0001))
