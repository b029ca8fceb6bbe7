# BYOL (ResNet-50, projector 4096 -> 256, the target an EMA with momentum rising to 1), written out so both
# hosts read it: the model of mmselfsup 1.0's selfsup/_base_/models/byol.py and of mmpretrain 1.2's
# byol/byol_resnet50_16xb256-coslr-200e_in1k.py, which name the same parts. base_momentum is tau, the weight
# the target keeps (mmselfsup's convention); mmpretrain's BYOL takes 1 - tau (configs/mmpretrain/baselines/).
# The backbone's default out_indices is its final stage under either host. The data preprocessor applies
# the views' augmentation on the training device when the pipeline leaves it there
# (PerViewAugment(on_device=True)): the BYOL baselines then feed the model exactly as MultiSiam does.
model = dict(
    type='BYOL',
    base_momentum=0.99,
    data_preprocessor=dict(
        type='ViewAugmentPreprocessor', mean=(123.675, 116.28, 103.53), std=(58.395, 57.12, 57.375), bgr_to_rgb=True),
    backbone=dict(type='ResNet', depth=50, in_channels=3, norm_cfg=dict(type='SyncBN')),
    neck=dict(
        type='NonLinearNeck',
        in_channels=2048,
        hid_channels=4096,
        out_channels=256,
        num_layers=2,
        with_bias=True,
        with_last_bn=False,
        with_avg_pool=True),
    head=dict(
        type='LatentPredictHead',
        predictor=dict(
            type='NonLinearNeck',
            in_channels=256,
            hid_channels=4096,
            out_channels=256,
            num_layers=2,
            with_bias=True,
            with_last_bn=False,
            with_avg_pool=False),
        loss=dict(type='CosineSimilarityLoss')),
)
