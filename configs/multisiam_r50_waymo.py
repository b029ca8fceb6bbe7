# MultiSiam, ResNet-50, Waymo Open Dataset v2 camera frames, 325 epochs, batch 1024 (8 GPUs x 128).
# The design card's main entry:  bash tools/dist_train.sh configs/multisiam_r50_waymo.py 8
_base_ = [
    '_base_/models/multisiam_r50.py',
    '_base_/datasets/waymo.py',
    '_base_/pipelines/multisiam.py',
    '_base_/schedules/lars_coslr-325e.py',
    '_base_/default_runtime.py',
]

train_dataloader = dict(
    batch_size=128, num_workers=8, drop_last=True,  # per GPU
    dataset=dict(pipeline={{_base_.train_pipeline}}))
