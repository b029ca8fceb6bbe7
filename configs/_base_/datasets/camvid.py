# CamVid frames (every *.jpg under data_root/train/).
# The bundled demo has 31 frames; the full 367-frame train split:
#   --cfg-options train_dataloader.dataset.data_root=data/camvid/  (the CamVid root: train/, val/, ...)
_base_ = ['./loader.py']

dataset_type = 'UnlabeledImageList'
data_root = 'demo/camvid/'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='train/')))
