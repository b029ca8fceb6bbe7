import torch.nn.functional as F
from mmengine.model import BaseModule
from ...registry import MODELS
from torch import Tensor


@MODELS.register_module()
class ClusterConsistencyLoss(BaseModule):
    """2D cluster loss, Eq. (10): mean over pixels of -cos(Q_ij, Kmeans(R'_ij)).

    The target is given per pixel as a unit vector (a normalized centroid, or R'_ij itself without
    K-means), or as the mean of unit vectors (dense clustering); the loss is ``-<Q_hat_ij, target_ij>``,
    which is -cos for unit targets and the mean -cos over the averaged vectors otherwise.
    Pairs marked invalid (crops that do not overlap) are left out of the mean.
    """

    def forward(self, pred: Tensor, target: Tensor, valid: Tensor) -> Tensor:
        """``pred``, ``target`` ``(B, C, N)``; ``valid`` ``(B,)`` bool -> scalar loss."""
        per_pixel = -(F.normalize(pred, dim=1) * target).sum(dim=1)  # (B, N)
        per_image = per_pixel.mean(dim=1)  # (B,)
        weight = valid.to(per_image.dtype)
        return (per_image * weight).sum() / weight.sum().clamp(min=1)
