# BDD100K 100k-image train split (every *.jpg under images/100k/train/).
_base_ = ['./loader.py']

dataset_type = 'UnlabeledImageList'
data_root = 'data/bdd100k/'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='images/100k/train/')))
