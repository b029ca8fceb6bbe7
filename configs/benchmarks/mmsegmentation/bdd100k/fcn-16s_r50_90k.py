# BDD100K semantic segmentation (paper Sec. 4.2): the Cityscapes FCN-16s recipe on mmseg's BDD100KDataset
# (19 Cityscapes classes; 7k train / 1k val images of the 10k set).
#   bash tools/benchmarks/mmseg_dist_train.sh \
#       configs/benchmarks/mmsegmentation/bdd100k/fcn-16s_r50_90k.py CKPT 8
# Data: data/bdd100k/images/10k/{train,val}/*.jpg and labels/sem_seg/masks/{train,val}/*.png.
_base_ = [
    '../_base_/models/fcn-16s_r50.py',
    'mmseg::_base_/datasets/bdd100k.py',
    '../_base_/schedules/schedule_90k.py',
    '../_base_/default_runtime.py',
]
crop_size = (512, 1024)
model = dict(data_preprocessor=dict(size=crop_size))
train_dataloader = dict(batch_size=2)
