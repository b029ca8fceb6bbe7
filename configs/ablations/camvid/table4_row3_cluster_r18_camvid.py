# Table 4, row 3 (+ L_cluster) on the CamVid CPU recipe: MultiSiam's CamVid config with RoI alignment and
# no self-attention, the same two differences the ablation base makes on the main config
# (configs/_base_/multisiam-ablation_r50_waymo.py). Paper: 70.0 mIoU.
_base_ = ['../../multisiam_r18_camvid.py']

model = dict(
    alignment=dict(_delete_=True, type='RoIAlignment'),
    head_2d=dict(predictor=dict(in_channels=_base_.dim), attention=None))  # no offset map: G alone
