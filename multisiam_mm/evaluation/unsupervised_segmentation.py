"""Unsupervised segmentation of frozen features: dataset-level K-means matched to the classes.

The protocol of PiCIE (Cho et al., CVPR 2021) and STEGO (Hamilton et al., ICLR 2022), which measures
directly what MultiSiam's 2D branch is built to learn (the paper's Fig. 6 is its picture): cluster the
final-map features of the evaluation frames into as many clusters as there are classes, give each
cluster the class it overlaps most under a one-to-one (Hungarian) assignment, and score the result as a
segmentation. No label is used until the matching.

Choices where the protocol leaves room, made here and stated:

* **Features**: each final-map cell (stride 32: 12x15 cells of a 480x360 frame) L2-normalized; the
  K-means is spherical (cosine), as PiCIE's and STEGO's cluster probes.
* **K-means**: k-means++ seeding (``torch.Generator`` seeded: the same seed gives the same clusters),
  ``restarts`` of at most ``iterations`` Lloyd steps each (stopped when no cell changes cluster); the
  restart with the highest total cosine to its centroids is kept. Defaults 10 and 100.
* **Pixels**: each pixel takes the cluster of highest cosine, the cosines bilinearly upsampled from the
  cells to the label size, as the dense probe upsamples its logits.
* **Matching and metric**: the Hungarian assignment maximizing the pixels where cluster and class agree
  (``scipy.optimize.linear_sum_assignment``), void ignored; IoU per class, mIoU over the classes, and
  pixel accuracy.
"""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from .segmentation_metrics import confusion_matrix, iou_per_class, miou_percent


def kmeans_plus_plus(points: Tensor, k: int, generator: torch.Generator) -> Tensor:
    """k-means++ seeding on unit vectors (distance ``1 - cos``): ``(k, C)`` initial centroids."""
    first = torch.randint(len(points), (1,), generator=generator)
    centroids = points[first]  # (1, C)
    distance = (1 - points @ centroids.T).clamp_min(0).squeeze(1)  # (N,)
    for _ in range(1, k):
        weights = distance / distance.sum() if distance.sum() > 0 else torch.full_like(distance, 1 / len(points))
        chosen = torch.multinomial(weights, 1, generator=generator)
        centroids = torch.cat([centroids, points[chosen]])
        distance = torch.minimum(distance, (1 - points @ points[chosen].T).clamp_min(0).squeeze(1))
    return centroids


def spherical_kmeans(points: Tensor, k: int, seed: int = 0, restarts: int = 10,
                     iterations: int = 100) -> tuple[Tensor, float]:
    """K-means of unit vectors under the cosine: the centroids ``(k, C)`` (unit) and their total cosine.

    Lloyd's steps: each point to the centroid of highest cosine, each centroid the normalized mean of
    its points (an emptied cluster keeps its centroid). The best of ``restarts`` k-means++ seedings.
    """
    if len(points) < k:
        raise ValueError(f'{len(points)} feature cells cannot make {k} clusters; evaluate on more frames')
    points = F.normalize(points.double(), dim=1)
    generator = torch.Generator().manual_seed(seed)
    best, best_score = None, -float('inf')
    for _ in range(restarts):
        centroids = kmeans_plus_plus(points, k, generator)
        assignment = None
        for _ in range(iterations):
            new = (points @ centroids.T).argmax(1)  # (N,)
            if assignment is not None and torch.equal(new, assignment):
                break
            assignment = new
            sums = torch.zeros_like(centroids).index_add_(0, assignment, points)
            filled = sums.norm(dim=1) > 0
            centroids = torch.where(filled[:, None], F.normalize(sums, dim=1), centroids)
        score = float((points @ centroids.T).max(1).values.sum())
        if score > best_score:
            best, best_score = centroids, score
    return best.float(), best_score


def match_clusters(confusion: Tensor) -> Tensor:
    """The class of each cluster under the one-to-one assignment that maximizes the agreeing pixels.

    Args:
        confusion: ``(classes, clusters)`` pixel counts, rows the label.

    Returns:
        ``(clusters,)`` int64: the class given to each cluster.
    """
    from scipy.optimize import linear_sum_assignment

    classes, clusters = linear_sum_assignment(confusion.numpy(), maximize=True)
    mapping = torch.zeros(confusion.shape[1], dtype=torch.int64)
    mapping[torch.from_numpy(clusters)] = torch.from_numpy(classes)
    return mapping


@torch.no_grad()
def cluster_maps(features: Tensor, centroids: Tensor, size: tuple[int, int], batch_size: int = 16) -> Tensor:
    """Each pixel's cluster ``(N, H, W)``: the argmax of the cells' cosines to the centroids, upsampled."""
    out = []
    for start in range(0, len(features), batch_size):
        cells = F.normalize(features[start:start + batch_size], dim=1)  # (n, C, h, w)
        cosines = torch.einsum('nchw,kc->nkhw', cells, centroids)
        out.append(F.interpolate(cosines, size=size, mode='bilinear', align_corners=False).argmax(1))
    return torch.cat(out)


def cluster_segmentation(features: Tensor, labels: Tensor, num_classes: int, ignore: int, seed: int = 0,
                         restarts: int = 10, iterations: int = 100,
                         clusters: Optional[Tensor] = None) -> dict:
    """Unsupervised segmentation of the frames: K-means with K = ``num_classes``, Hungarian-matched.

    Args:
        features: ``(N, C, h, w)`` final maps of the evaluation frames.
        labels: ``(N, H, W)`` their labels; ``ignore`` is void.
        seed, restarts, iterations: :func:`spherical_kmeans`'s.
        clusters: ``(N, H, W)`` cluster maps to score instead of clustering ``features`` (tests).

    Returns:
        ``mIoU`` and ``pixel_accuracy`` (percent), ``IoU`` per class, the ``mapping`` cluster -> class.
    """
    if clusters is None:
        cells = features.permute(0, 2, 3, 1).reshape(-1, features.shape[1])
        centroids, _ = spherical_kmeans(cells, num_classes, seed, restarts, iterations)
        clusters = cluster_maps(features, centroids, tuple(labels.shape[-2:]))
    # rows: class, columns: cluster (as many as classes)
    confusion = confusion_matrix(clusters.reshape(-1), labels.reshape(-1), num_classes, ignore)
    mapping = match_clusters(confusion)
    matched = confusion_matrix(mapping[clusters.reshape(-1)], labels.reshape(-1), num_classes, ignore)
    iou = iou_per_class(matched)
    return dict(mIoU=miou_percent(iou), IoU=[100 * float(v) for v in iou],
                pixel_accuracy=100 * float(matched.diag().sum() / matched.sum()), mapping=mapping.tolist())
