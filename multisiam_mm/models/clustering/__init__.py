"""Per-image K-means of the target's aligned map and the cluster target of each pixel (Sec. 3.3, Eq. 8)."""
from .cluster_targets import ClusterTargets
from .kmeans import batched_kmeans, check_num_clusters, cluster_means, farthest_point_init

__all__ = ['ClusterTargets', 'batched_kmeans', 'check_num_clusters', 'cluster_means', 'farthest_point_init']
