"""Batched K-means for intra-image clustering (Sec. 3.3).

Every image of the batch is clustered at once with tensor ops on the features' device: the only Python
loops run over the K initial centroids and the fixed number of iterations, never over images.
"""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

DISTANCES = ('cosine', 'euclidean')


def check_num_clusters(num_clusters: int, num_pixels: Optional[int] = None, key: str = 'num_clusters') -> None:
    """K of Sec. 3.3 must be at least 1 and, once the map is known, at most its ``num_pixels`` cells.

    ``key`` names the setting in the error (e.g. ``model.head_2d.clustering.num_clusters``).
    """
    if num_clusters < 1 or (num_pixels is not None and num_clusters > num_pixels):
        limit = '>= 1' if num_pixels is None else f'in [1, {num_pixels}] (the cells of a feature map)'
        raise ValueError(f'{key} must be {limit}, got {num_clusters}')


def _affinity(points: Tensor, centroids: Tensor, distance: str) -> Tensor:
    """Higher-is-closer score of every point to every centroid: ``(B, N, C), (B, K, C) -> (B, N, K)``."""
    if distance == 'cosine':
        return points @ centroids.transpose(1, 2)  # both unit-norm: cosine similarity
    # -||x - c||^2 without the ||x||^2 term, which is constant per point
    return 2 * points @ centroids.transpose(1, 2) - centroids.pow(2).sum(-1)[:, None, :]


def farthest_point_init(points: Tensor, num_clusters: int, distance: str) -> Tensor:
    """Deterministic initial centroids: the point farthest from the mean, then repeatedly the point
    farthest from all centroids chosen so far. ``(B, N, C) -> (B, K, C)``."""
    batch = torch.arange(points.size(0), device=points.device)
    mean = points.mean(dim=1, keepdim=True)  # (B, 1, C)
    if distance == 'cosine':
        mean = F.normalize(mean, dim=-1)
    first = _affinity(points, mean, distance).squeeze(-1).argmin(dim=1)  # (B,)
    centroids = [points[batch, first]]  # K x (B, C)
    closest = _affinity(points, centroids[0][:, None], distance).squeeze(-1)  # (B, N)
    for _ in range(1, num_clusters):
        nxt = closest.argmin(dim=1)  # least similar to every chosen centroid
        centroids.append(points[batch, nxt])
        score = _affinity(points, centroids[-1][:, None], distance).squeeze(-1)
        closest = torch.maximum(closest, score)
    return torch.stack(centroids, dim=1)


def cluster_means(points: Tensor, assignments: Tensor, num_clusters: int) -> tuple[Tensor, Tensor]:
    """Mean of each cluster's members and the member counts: ``-> (B, K, C), (B, K)``.

    Empty clusters get a zero mean; callers decide what to keep for them.
    """
    one_hot = F.one_hot(assignments, num_clusters).to(points.dtype)  # (B, N, K)
    counts = one_hot.sum(dim=1)  # (B, K)
    sums = one_hot.transpose(1, 2) @ points  # (B, K, C)
    return sums / counts.clamp(min=1)[..., None], counts


def batched_kmeans(features: Tensor, num_clusters: int, num_iters: int = 10,
                   distance: str = 'cosine') -> tuple[Tensor, Tensor]:
    """K-means on each image's pixels: Kmeans(R'_ij) of Sec. 3.3.

    Args:
        features: ``(B, N, C)`` pixel features of B images.
        num_clusters: K, the clusters per image (paper default 3).
        num_iters: fixed Lloyd iterations after the deterministic farthest-point init.
        distance: ``'cosine'`` (spherical K-means on unit-normalized features, the paper's default) or
            ``'euclidean'``.

    Returns:
        ``assignments`` ``(B, N)`` cluster index per pixel and ``centroids`` ``(B, K, C)``; with cosine
        distance the centroids are unit-norm. An empty cluster keeps its previous centroid, so identical
        points never produce NaN.
    """
    if distance not in DISTANCES:
        raise ValueError(f'distance must be one of {DISTANCES}, got {distance!r}')
    check_num_clusters(num_clusters, features.size(1))
    points = F.normalize(features, dim=-1) if distance == 'cosine' else features
    centroids = farthest_point_init(points, num_clusters, distance)
    for _ in range(num_iters):
        assignments = _affinity(points, centroids, distance).argmax(dim=-1)  # (B, N)
        means, counts = cluster_means(points, assignments, num_clusters)
        if distance == 'cosine':
            means = F.normalize(means, dim=-1)
        centroids = torch.where(counts[..., None] > 0, means, centroids)
    assignments = _affinity(points, centroids, distance).argmax(dim=-1)
    return assignments, centroids
