from .kmeans import batched_kmeans, check_num_clusters, cluster_means, farthest_point_init

__all__ = ['batched_kmeans', 'check_num_clusters', 'cluster_means', 'farthest_point_init']
