# SODA5M (Sec. 4.1): the SODA10M unlabeled splits 0, 2, 4, 6, 8, given as a list of image paths
# relative to data_root, made once with (docs/data.md):
#   python tools/dataset_converters/make_image_list.py data/soda10m \
#       --subdirs <split 0> <split 2> <split 4> <split 6> <split 8> --out data/soda10m/soda5m_train.txt
_base_ = ['./loader.py']

dataset_type = 'UnlabeledImageList'
data_root = 'data/soda10m/'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='soda5m_train.txt',
        data_prefix=dict(img_path='')))
