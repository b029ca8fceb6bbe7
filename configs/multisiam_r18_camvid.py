# MultiSiam, ResNet-18, CamVid street frames at 128 px: pre-trains on one CPU in minutes.
# Bundled demo frames by default (bash tools/run_demo.sh); the 367 CamVid train frames:
#   python tools/train.py configs/multisiam_r18_camvid.py \
#       --cfg-options train_dataloader.dataset.data_root=data/camvid/  (the CamVid root)
# Recipe (crop, batch, epochs, warm-up + cosine, hooks): configs/_base_/camvid_recipe.py.
_base_ = [
    '_base_/models/multisiam_r18.py',
    '_base_/camvid_recipe.py',
]

model = dict(base_momentum=0.99)
