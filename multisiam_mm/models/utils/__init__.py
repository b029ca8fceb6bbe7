from .cosine_ema import CosineEMA, cosine_momentum
from .host_heads import host_head_loss
from .kmeans import batched_kmeans, check_num_clusters, cluster_means, farthest_point_init
from .shuffle_bn import batch_shuffle, batch_unshuffle

__all__ = ['CosineEMA', 'batch_shuffle', 'batch_unshuffle', 'batched_kmeans', 'check_num_clusters',
           'cluster_means', 'cosine_momentum', 'farthest_point_init', 'host_head_loss']
