# Table 8b: base lr 1.0 (lr = 1.0 x 4096 / 256 = 16), the full model. Paper: 72.9 mIoU.
_base_ = ['./table4_row5_offset_r50_waymo.py']

optim_wrapper = dict(optimizer=dict(lr=1.0))  # per 256 images: 16.0 at 4096
