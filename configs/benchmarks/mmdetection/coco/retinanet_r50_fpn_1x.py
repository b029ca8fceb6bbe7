# COCO detection (paper Appendix C): RetinaNet R50-FPN with SyncBN in the backbone and FPN; 1x schedule:
# 12 epochs at batch 16, lr 0.01, x0.1 at 8 and 11.
#   bash tools/benchmarks/mmdet_dist_train.sh \
#       configs/benchmarks/mmdetection/coco/retinanet_r50_fpn_1x.py CKPT 8
_base_ = ['../_base_/retinanet_r50_fpn_coco.py', 'mmdet::_base_/schedules/schedule_1x.py']
optim_wrapper = dict(optimizer=dict(lr=0.01))
