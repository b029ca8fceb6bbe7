from .cluster_consistency_loss import ClusterConsistencyLoss
from .pixel_info_nce_loss import PixelInfoNCELoss

__all__ = ['ClusterConsistencyLoss', 'PixelInfoNCELoss']
