# Cityscapes leftImg8bit frames (every *.png under leftImg8bit/train/, recursively). Add train_extra/ with a
# second dataset or a list file.
_base_ = ['./loader.py']

dataset_type = 'UnlabeledImageList'
data_root = 'data/cityscapes/'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='leftImg8bit/train/')))
