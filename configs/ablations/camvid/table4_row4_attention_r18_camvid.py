# Table 4, row 4 (+ self-attention, Eq. 8, 9) on the CamVid CPU recipe: row 3 with MultiSiam's
# self-attention back, i.e. MultiSiam's CamVid config with RoI alignment instead of offset alignment.
# Paper: 71.2 mIoU.
_base_ = ['./table4_row3_cluster_r18_camvid.py']

model = dict(
    head_2d=dict(attention=dict(_delete_=True, type='PixelSelfAttention', power=2.0, residual=False)))
