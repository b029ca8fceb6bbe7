"""Three instruments on one frozen backbone, from one set of cached features.

``probe``: the deterministic dense linear probe on all training frames (:mod:`.dense_probe`);
``unsupervised``: K-means segmentation of the evaluation frames matched to the classes
(:mod:`.unsupervised_segmentation`); ``label_efficiency``: the probe on 1 to 64 labelled frames
(:mod:`.label_efficiency`). Every backbone is measured with the same K-means seeds and the same labelled
subsets (``PROTOCOL_SEED``); the backbone's own ``seed`` only initializes a random backbone.
"""
from typing import Sequence

from mmengine.logging import print_log

from ..datasets.camvid_classes import CAMVID_CLASSES, CAMVID_VOID_ID
from .dense_probe import probe_features
from .feature_cache import backbone_features
from .label_efficiency import SIZES, label_efficiency
from .unsupervised_segmentation import cluster_segmentation

INSTRUMENTS = ('probe', 'unsupervised', 'label_efficiency')
PROTOCOL_SEED = 0


def evaluate_backbone(checkpoint: str, data_root: str, cache_dir: str = None, train_frames: str = 'train',
                      eval_frames: str = 'val', seed: int = 0, instruments: Sequence[str] = INSTRUMENTS,
                      label_sizes: Sequence[int] = SIZES) -> dict:
    """``{instrument: result}`` for ``checkpoint`` (a pre-training checkpoint, backbone file or 'random').

    ``train_frames`` (the probe's training frames and the labelled pool) and ``eval_frames`` are split
    names or list files of ``split/stem`` lines, so any split is measured without a code change;
    ``label_sizes`` are the labelled-frame counts of the label-efficiency probes; those larger than the
    labelled pool (the bundled demo's 31 frames, say, for 64) are left out with a note.
    """
    unknown = set(instruments) - set(INSTRUMENTS)
    if unknown:
        raise ValueError(f'unknown instruments {sorted(unknown)}; choose from {INSTRUMENTS}')
    features, labels = backbone_features(checkpoint, data_root, dict(train=train_frames, eval=eval_frames),
                                         cache_dir, seed=seed)
    classes = len(CAMVID_CLASSES)
    results = {}
    if 'probe' in instruments:
        results['probe'] = probe_features(features, labels)
    if 'unsupervised' in instruments:
        results['unsupervised'] = cluster_segmentation(features['eval'], labels['eval'], classes, CAMVID_VOID_ID,
                                                       seed=PROTOCOL_SEED)
    if 'label_efficiency' in instruments:
        pool = len(features['train'])
        fitting = [n for n in label_sizes if n <= pool]
        if len(fitting) < len(label_sizes):
            print_log(f'label efficiency: subsets of {[n for n in label_sizes if n > pool]} frames left out, '
                      f'larger than the pool of {pool} labelled frames', logger='current')
        results['label_efficiency'] = label_efficiency(features['train'], labels['train'], features['eval'],
                                                       labels['eval'], classes, CAMVID_VOID_ID, fitting,
                                                       seed=PROTOCOL_SEED)
    return results
