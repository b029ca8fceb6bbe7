# The ablation base (Sec. 4.3): the model every row of Tables 2a, 2b, 3a, 3b starts from, and Table 4's
# "+ L_cluster" row (the 70.0 they share): IoU 0.5 pair crop, RoI alignment, K-means (K=3, cosine)
# targets, the 1D branch, and NO self-attention; pre-trained on Waymo with the ablation recipe (150
# epochs, base lr 0.3, batch 1024 x 4 accumulation, base momentum 0.99: Sec. 4.3, Table 8's default row).
# Every file in configs/ablations/ overrides this base in what its row changes and nothing else
# (tests/test_ablation_configs.py holds each row's difference as data).
_base_ = [
    './models/multisiam_r50.py',
    './datasets/waymo.py',
    './pipelines/multisiam.py',
    './schedules/lars_coslr-150e_accum4.py',
    './default_runtime.py',
]

model = dict(
    base_momentum=0.99,
    alignment=dict(_delete_=True, type='RoIAlignment'),
    head_2d=dict(predictor=dict(in_channels=256), attention=None))
train_dataloader = dict(
    batch_size=128, num_workers=8, drop_last=True,  # per GPU, 8 GPUs
    dataset=dict(pipeline={{_base_.train_pipeline}}))
