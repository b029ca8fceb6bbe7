# BDD100K instance segmentation (8 classes; 7k train / 1k val images of the 10k set), COCO-format
# annotations written by the BDD100K toolkit (docs/benchmarks.md):
#   python -m bdd100k.label.to_coco -m ins_seg -i labels/ins_seg/rles/ins_seg_train.json \
#       -o jsons/ins_seg_train_cocofmt.json
# Same recipe as Cityscapes (cityscapes_instance.py, inherited): short side 800..1024 in steps of 32 for
# training, 1024 for testing; only the data and the classes differ.
_base_ = './cityscapes_instance.py'

dataset_type = 'CocoDataset'
data_root = 'data/bdd100k/'
metainfo = dict(
    classes=('pedestrian', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle'),
    palette=[(220, 20, 60), (255, 0, 0), (0, 0, 142), (0, 0, 70), (0, 60, 100), (0, 80, 100), (0, 0, 230),
             (119, 11, 32)])
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        metainfo=metainfo,
        data_root=data_root,
        ann_file='jsons/ins_seg_train_cocofmt.json',
        data_prefix=dict(img='images/10k/train/')))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        metainfo=metainfo,
        data_root=data_root,
        ann_file='jsons/ins_seg_val_cocofmt.json',
        data_prefix=dict(img='images/10k/val/')))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'jsons/ins_seg_val_cocofmt.json')
test_evaluator = val_evaluator
