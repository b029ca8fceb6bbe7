from typing import Optional

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from ...registry import MODELS, build_model
from torch import Tensor

from ..alignment import AlignedPair


@MODELS.register_module()
class ClusterConsistencyHead(BaseModule):
    """MultiSiam's 2D head: predict each pixel's cluster from the aligned online map (Sec. 3.3, 3.4).

    Local predictor q, then the self-attention of Eq. (8, 9) gives Q; K-means on the aligned target R'
    gives the targets; the loss is Eq. (10). Switches for the ablations: ``attention=None`` keeps the
    local predictor only; ``clustering=None`` compares Q_ij with R'_ij directly (App. B.1).

    Args:
        predictor: the local predictor q, e.g. :class:`ConvMLPNeck`.
        loss: the 2D loss, e.g. :class:`ClusterConsistencyLoss`.
        attention: the self-attention, e.g. :class:`PixelSelfAttention`, or None.
        clustering: the target generator, e.g. :class:`ClusterTargets`, or None.
    """

    def __init__(self, predictor: dict, loss: dict, attention: Optional[dict] = None,
                 clustering: Optional[dict] = None) -> None:
        super().__init__()
        self.predictor = build_model(predictor)
        self.loss = build_model(loss)
        self.attention = build_model(attention) if attention is not None else None
        self.clustering = build_model(clustering) if clustering is not None else None

    def predict(self, aligned: AlignedPair) -> Tensor:
        """Q of Eq. (8): ``(B, C, H, W)``."""
        local = self.predictor(aligned.online)  # q(R): (B, C, H, W)
        return local if self.attention is None else self.attention(local, aligned.online)

    @torch.no_grad()
    def targets(self, aligned: AlignedPair) -> Tensor:
        """Kmeans(R'_ij) per pixel, or R'_ij without clustering: ``(B, C, N)``."""
        if self.clustering is None:
            return F.normalize(aligned.target.flatten(2), dim=1)
        return self.clustering(aligned.target)

    def forward(self, aligned: AlignedPair) -> Tensor:
        """Eq. (10) for one direction (online view -> target view)."""
        return self.loss(self.predict(aligned).flatten(2), self.targets(aligned), aligned.valid)
