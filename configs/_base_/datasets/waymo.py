# Waymo Open Dataset v2 camera frames, read from the camera_image parquet files (Sec. 4.1: pre-training on
# Waymo). All five cameras, every frame. The files as released are refused (one row group a segment): rewrite
# them once with tools/dataset_converters/waymo_parquet_regroup.py (docs/data.md).
_base_ = ['./loader.py']

dataset_type = 'WaymoCameraParquet'
data_root = 'data/waymo/training/camera_image/'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        cameras=['FRONT', 'FRONT_LEFT', 'FRONT_RIGHT', 'SIDE_LEFT', 'SIDE_RIGHT'],
        every_nth_frame=1))
