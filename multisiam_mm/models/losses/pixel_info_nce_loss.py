from typing import Optional

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from ...registry import MODELS
from torch import Tensor


@MODELS.register_module()
class PixelInfoNCELoss(BaseModule):
    """Per-pixel InfoNCE of the MoCo-based MultiSiam, App. B.2 Eq. (20, 21).

    Eq. (21) gives the likelihood that pixel (i, j)'s query Q_ij picks its positive k+ among the
    negatives k-: ``exp(Q.k+ / tau) / (exp(Q.k+ / tau) + sum_k- exp(Q.k- / tau))``. The loss is its
    negative log, averaged over the pixels of the images in ``valid``. Queries, positives and negatives
    are L2-normalized here, so dot products are cosines.

    Args:
        temperature: tau. Defaults to 0.2 (App. B.2, as MoCo v2).
    """

    def __init__(self, temperature: float = 0.2) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature (model.head_2d.loss.temperature) must be > 0, got {temperature}')
        self.temperature = temperature

    def forward(self, query: Tensor, positive: Tensor, negatives: Tensor,
                valid: Optional[Tensor] = None) -> Tensor:
        """Mean over pixels of -log Eq. (21).

        Args:
            query: ``(B, C, N)`` Q, one vector per pixel.
            positive: ``(B, C, N)`` k+ of each pixel, e.g. its cluster centroid Kmeans(G'_ij) (Eq. 20).
            negatives: ``(K, C)`` k-, shared by every pixel (the queue of other images' keys).
            valid: ``(B,)`` bool, images to average over; None keeps all. An all-invalid batch gives 0.
        """
        query = F.normalize(query, dim=1) / self.temperature  # (B, C, N), scaled once instead of the logits
        positive = F.normalize(positive, dim=1)
        negatives = F.normalize(negatives, dim=1).to(query.dtype)
        l_pos = (query * positive).sum(dim=1)  # (B, N): Q.k+ / tau
        l_neg = torch.einsum('bcn,kc->bnk', query, negatives)  # (B, N, K): Q.k- / tau
        # -log Eq. (21) = log(1 + sum exp(l_neg - l_pos)): no concatenated logits, no cancellation
        per_pixel = F.softplus(torch.logsumexp(l_neg, dim=-1) - l_pos)  # (B, N)
        per_image = per_pixel.mean(dim=1)  # (B,)
        if valid is None:
            return per_image.mean()
        weight = valid.to(per_image.dtype)
        return (per_image * weight).sum() / weight.sum().clamp(min=1)
