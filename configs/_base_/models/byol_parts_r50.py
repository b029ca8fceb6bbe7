# What BYOL (byol_r50.py) and MultiSiam (multisiam_r50.py, multisiam-moco_r50.py) share on ResNet-50, named once:
# the data preprocessor that applies the views' augmentation on the training device (what
# PerViewAugment(on_device=True) drew), the backbone (each host's default out_indices is its final stage: the
# final 2D map F), and BYOL's projector and predictor head, as mmselfsup 1.0's selfsup/_base_/models/byol.py
# and mmpretrain 1.2's byol/byol_resnet50_16xb256-coslr-200e_in1k.py name them (MultiSiam's 1D branch).
view_augment_preprocessor = dict(
    type='ViewAugmentPreprocessor', mean=(123.675, 116.28, 103.53), std=(58.395, 57.12, 57.375), bgr_to_rgb=True)
resnet50 = dict(type='ResNet', depth=50, in_channels=3, norm_cfg=dict(type='SyncBN'))
byol_projector = dict(
    type='NonLinearNeck',
    in_channels=2048,
    hid_channels=4096,
    out_channels=256,
    num_layers=2,
    with_bias=True,
    with_last_bn=False,
    with_avg_pool=True)
byol_head = dict(
    type='LatentPredictHead',
    predictor=dict(byol_projector, in_channels=256, with_avg_pool=False),
    loss=dict(type='CosineSimilarityLoss'))
