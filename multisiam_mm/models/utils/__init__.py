from .kmeans import batched_kmeans, cluster_means, farthest_point_init

__all__ = ['batched_kmeans', 'cluster_means', 'farthest_point_init']
