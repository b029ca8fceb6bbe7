"""Pre-train a self-supervised model from a config (MMSelfSup-style entry point).

Examples:
    python tools/train.py configs/multisiam_r18_camvid.py
    bash tools/dist_train.sh configs/multisiam_r50_waymo.py 8 --amp --channels-last
    python tools/train.py CONFIG --resume            # resume from the work dir's latest checkpoint
    python tools/train.py CONFIG --tensorboard       # TensorBoard logs beside scalars.json

With no CUDA device the run still works: SyncBN becomes BN, and distributed runs use the gloo backend,
so ``bash tools/dist_train.sh CONFIG 2`` runs two CPU processes. The code is
:mod:`multisiam_mm.apis.train` (also ``python -m multisiam_mm.apis.train CONFIG``).
"""
from multisiam_mm.apis.train import main

if __name__ == '__main__':
    main()
