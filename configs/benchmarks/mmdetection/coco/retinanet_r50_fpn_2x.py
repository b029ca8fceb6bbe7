# COCO RetinaNet R50-FPN (paper Appendix C), 2x schedule: 24 epochs at batch 16, lr 0.01, x0.1 at 16, 22.
_base_ = ['../_base_/retinanet_r50_fpn_coco.py', 'mmdet::_base_/schedules/schedule_2x.py']
optim_wrapper = dict(optimizer=dict(lr=0.01))
