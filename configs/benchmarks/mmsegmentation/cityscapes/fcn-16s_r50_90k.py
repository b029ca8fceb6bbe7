# Cityscapes semantic segmentation (paper Sec. 4.2): FCN-16s, ResNet-50, 90k iterations, SyncBN, 512x1024
# crops, 8 GPUs x 2 images; mIoU on val at full resolution (2048x1024).
#   bash tools/benchmarks/mmseg_dist_train.sh \
#       configs/benchmarks/mmsegmentation/cityscapes/fcn-16s_r50_90k.py CKPT 8
# Data: data/cityscapes/{leftImg8bit,gtFine}/{train,val} with *_gtFine_labelTrainIds.png (docs/benchmarks.md).
_base_ = [
    '../_base_/models/fcn-16s_r50.py',
    'mmseg::_base_/datasets/cityscapes.py',
    '../_base_/schedules/schedule_90k.py',
    '../_base_/default_runtime.py',
]
crop_size = (512, 1024)
model = dict(data_preprocessor=dict(size=crop_size))
train_dataloader = dict(batch_size=2)
