"""Draw intra-image K-means clusters of backbone features (the paper's Fig. 6), checkpoints side by side.

Example:
    python tools/analysis/visualize_clusters.py configs/multisiam_r18_camvid.py \
        random,multisiam=work_dirs/demo/pretrain/epoch_40.pth demo/camvid/val/*.jpg --out clusters.png

The code is :mod:`multisiam_mm.apis.visualize_clusters` (``--help`` lists the options).
"""
from multisiam_mm.apis.visualize_clusters import main

if __name__ == '__main__':
    main()
