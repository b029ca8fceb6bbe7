# COCO RetinaNet R50-FPN (paper Appendix C) without its schedule: the model, the COCO detection data and the
# runtime shared by the 1x, 2x and 12k-iteration configs, which add a schedule and the lr of 0.01
_base_ = [
    './models/retinanet_r50_fpn.py',
    './datasets/coco_detection.py',
    './default_runtime.py',
]
