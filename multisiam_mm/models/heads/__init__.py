from .cluster_consistency_head import ClusterConsistencyHead
from .cluster_contrast_head import ClusterContrastHead
from .cluster_targets import ClusterTargets
from .pixel_self_attention import PixelSelfAttention

__all__ = ['ClusterConsistencyHead', 'ClusterContrastHead', 'ClusterTargets', 'PixelSelfAttention']
