# ImageNet-1k train images (mmcls layout: meta/train.txt lists "<class dir>/<file> <label>"; the
# label column is ignored) (Sec. 4.1: ImageNet pre-training).
_base_ = ['./loader.py']

dataset_type = 'UnlabeledImageList'
data_root = 'data/imagenet/'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='meta/train.txt',
        data_prefix=dict(img_path='train/')))
