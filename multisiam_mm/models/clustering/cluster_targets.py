import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from ...registry import MODELS
from torch import Tensor

from .kmeans import batched_kmeans, check_num_clusters, cluster_means


@MODELS.register_module()
class ClusterTargets(BaseModule):
    """Per-pixel targets Kmeans(R'_ij) from intra-image clustering (Sec. 3.3).

    K-means runs on each image's aligned target map R'. A pixel's target is its cluster's centroid
    (Eq. 10) in the clustering's own space: with ``distance='cosine'`` the normalized mean of the
    members' unit vectors (spherical K-means), with ``'euclidean'`` (Table 3b) the raw mean of the
    members; the loss compares directions, so the centroid is returned as a unit vector either way.
    With ``dense=True`` (Table 3b, "dense clustering") the target is instead the mean of the members'
    unit vectors, unnormalized, so that the loss ``-<Q_hat, target>`` is the mean cosine to every pixel
    of the cluster.

    Args:
        num_clusters: K. Defaults to 3.
        num_iters: K-means iterations. Defaults to 10.
        distance: ``'cosine'`` (default) or ``'euclidean'``.
        dense: target every pixel of the cluster instead of its centroid. Defaults to False.
    """

    def __init__(self, num_clusters: int = 3, num_iters: int = 10, distance: str = 'cosine',
                 dense: bool = False) -> None:
        super().__init__()
        check_num_clusters(num_clusters)
        self.num_clusters = num_clusters
        self.num_iters = num_iters
        self.distance = distance
        self.dense = dense

    @torch.no_grad()
    def forward(self, target: Tensor) -> Tensor:
        """R' ``(B, C, H, W)`` -> per-pixel target ``(B, C, N)``: unit centroids, or means of unit vectors."""
        pixels = target.flatten(2).transpose(1, 2).float()  # (B, N, C)
        assignments, _ = batched_kmeans(pixels, self.num_clusters, self.num_iters, self.distance)
        # Euclidean centroids are raw means; cosine centroids and dense targets average unit vectors
        raw = self.distance == 'euclidean' and not self.dense
        members = pixels if raw else F.normalize(pixels, dim=-1)
        means, _ = cluster_means(members, assignments, self.num_clusters)  # (B, K, C)
        if not self.dense:
            means = F.normalize(means, dim=-1)
        per_pixel = torch.gather(means, 1, assignments[..., None].expand(-1, -1, means.size(-1)))
        return per_pixel.transpose(1, 2).to(target.dtype)  # (B, C, N)
