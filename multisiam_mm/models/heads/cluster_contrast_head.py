from typing import Optional

import torch
from mmengine.model import BaseModule
from ...registry import MODELS, build_model
from torch import Tensor


@MODELS.register_module()
class ClusterContrastHead(BaseModule):
    """The MoCo-based MultiSiam's 2D head: contrast each pixel with its cluster, App. B.2 Eq. (20, 21).

    K-means on the momentum encoder's aligned projection G' gives each pixel's positive
    k+ = Kmeans(G'_ij) (:class:`ClusterTargets`); the negatives are the queue of other images' keys;
    the loss is the per-pixel InfoNCE (:class:`PixelInfoNCELoss`). The query Q already carries the
    self-attention, which sits in the projector (Eq. 18). ``clustering=None`` takes k+ = G'_ij.

    Args:
        loss: the per-pixel contrastive loss, e.g. :class:`PixelInfoNCELoss`.
        clustering: the positive generator, e.g. :class:`ClusterTargets`, or None.
    """

    def __init__(self, loss: dict, clustering: Optional[dict] = None) -> None:
        super().__init__()
        self.loss = build_model(loss)
        self.clustering = build_model(clustering) if clustering is not None else None

    @torch.no_grad()
    def positives(self, target: Tensor) -> Tensor:
        """k+ of Eq. (20) per pixel: G' ``(B, C, H, W)`` -> ``(B, C, N)`` (normalized by the loss)."""
        return target.flatten(2) if self.clustering is None else self.clustering(target)

    def forward(self, query: Tensor, target: Tensor, negatives: Tensor, valid: Tensor) -> Tensor:
        """-log Eq. (21) averaged over pixels.

        Args:
            query: ``(B, C, H, W)`` Q of the online view (Eq. 18).
            target: ``(B, C, H, W)`` G' of the other view, aligned to the same cells (Eq. 19).
            negatives: ``(K, C)`` unit keys of other images.
            valid: ``(B,)`` bool, pairs whose crops overlap.
        """
        return self.loss(query.flatten(2), self.positives(target), negatives, valid)
