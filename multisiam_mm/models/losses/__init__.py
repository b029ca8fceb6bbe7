from .cluster_consistency_loss import ClusterConsistencyLoss

__all__ = ['ClusterConsistencyLoss']
