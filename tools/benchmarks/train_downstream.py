"""Fine-tune a MultiSiam backbone with an MMSegmentation or MMDetection benchmark config.

Examples:
    python tools/benchmarks/train_downstream.py \
        configs/benchmarks/mmsegmentation/camvid/linear-probe_r18_1k.py --checkpoint CKPT
    python tools/benchmarks/train_downstream.py CONFIG --random-init        # the random-init baseline
    bash tools/benchmarks/mmseg_dist_train.sh \
        configs/benchmarks/mmsegmentation/cityscapes/fcn-16s_r50_90k.py CKPT 8

The code is :mod:`multisiam_mm.apis.train_downstream` (also ``python -m multisiam_mm.apis.train_downstream``).
"""
from multisiam_mm.apis.train_downstream import main

if __name__ == '__main__':
    main()
