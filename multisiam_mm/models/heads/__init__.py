from .cluster_consistency_head import ClusterConsistencyHead
from .cluster_contrast_head import ClusterContrastHead

__all__ = ['ClusterConsistencyHead', 'ClusterContrastHead']
