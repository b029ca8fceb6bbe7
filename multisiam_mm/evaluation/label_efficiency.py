"""Label efficiency: the deterministic dense probe fit on a few labelled frames.

Pre-trained features are meant to need fewer labels. The probe of :mod:`.dense_probe` (frozen backbone,
a per-pixel linear classifier fit to convergence by L-BFGS) is fit on ``n`` labelled frames drawn from
the training pool and scored on every evaluation frame, for n = 1, 4, 16 and 64.

Choices, stated:

* **Subsets**: drawn without replacement from the pool by ``numpy.random.default_rng([seed, n, i])`` for
  subset i of size n, so every backbone is fit on the same frames and a subset does not change when
  another size is added. Five subsets for each size up to 16, one for 64 (mean and standard deviation
  over the subsets).
* **Whitening**: from the features of the whole pool, labelled or not (no label is used): with one
  labelled frame (180 cells against 512 channels) its own covariance would be singular. The classifier
  itself sees only the labelled frames.
"""
from typing import Sequence

import numpy as np
from torch import Tensor

from .linear_probe import LinearProbe
from .segmentation_metrics import iou_per_class, miou_percent

#: labelled frames per probe, and how many seeded subsets of each size
SIZES = (1, 4, 16, 64)
SUBSETS = {1: 5, 4: 5, 16: 5, 64: 1}


def labelled_subsets(pool_size: int, sizes: Sequence[int] = SIZES, subsets: dict[int, int] = SUBSETS,
                     seed: int = 0) -> dict[int, list]:
    """``{n: [frame indices of subset i]}``, each subset drawn by ``default_rng([seed, n, i])``."""
    too_large = [n for n in sizes if n > pool_size]
    if too_large:
        raise ValueError(f'subsets of {too_large} frames do not fit in a pool of {pool_size} labelled frames')
    return {n: [np.sort(np.random.default_rng([seed, n, i]).choice(pool_size, n, replace=False))
                for i in range(subsets.get(n, 1))] for n in sizes}


def label_efficiency(pool_features: Tensor, pool_labels: Tensor, eval_features: Tensor, eval_labels: Tensor,
                     num_classes: int, ignore: int, sizes: Sequence[int] = SIZES,
                     subsets: dict[int, int] = SUBSETS, seed: int = 0, **probe_options) -> dict:
    """mIoU on the evaluation frames of probes fit on seeded subsets of the pool.

    Returns:
        ``{str(n): dict(mIoU=[per subset], mean=..., std=..., frames=[indices per subset])}`` (percent;
        std is the population standard deviation over the subsets, 0 for a single one).
    """
    results = {}
    for n, chosen in labelled_subsets(len(pool_features), sizes, subsets, seed).items():
        scores = []
        for indices in chosen:
            probe = LinearProbe(num_classes, ignore, **probe_options)
            probe.fit(pool_features[indices], pool_labels[indices], statistics=pool_features)
            scores.append(miou_percent(iou_per_class(probe.confusion(eval_features, eval_labels))))
        results[str(n)] = dict(mIoU=scores, mean=float(np.mean(scores)), std=float(np.std(scores)),
                               frames=[idx.tolist() for idx in chosen])
    return results
