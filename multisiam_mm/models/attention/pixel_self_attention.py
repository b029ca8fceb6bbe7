import torch.nn.functional as F
from mmengine.model import BaseModule
from ...registry import MODELS
from torch import Tensor


@MODELS.register_module()
class PixelSelfAttention(BaseModule):
    """Self-attention predictor, Eq. (8, 9): Q_ij = sum_{i'j'} sim(R_ij, R_i'j') q(R_i'j').

    The paper uses "the same non-local-network style self-attention module as Xie et al." (PixPro's
    pixel propagation module), so, as there, each pixel's value q(R_i'j') is L2-normalized before it is
    aggregated: every similar pixel contributes its direction with weight sim, and a few high-norm
    pixels cannot dominate Q. ``sim = max(cos, 0) ** power`` is measured on the aligned online map R
    itself; under offset alignment R = [G; Delta C] (Eq. 6), offsets included. The weights are not
    normalized over i'j' (PixPro's PPM neither); the loss is scale invariant per pixel.

    Args:
        power: exponent of the clipped cosine. Defaults to 2 (the paper's max(cos, 0)^2).
        residual: add the (normalized) local prediction, Q = q_hat(R) + attention, as the non-local
            block's residual connection (Table 9). Defaults to False.
    """

    def __init__(self, power: float = 2.0, residual: bool = False) -> None:
        super().__init__()
        self.power = power
        self.residual = residual

    def similarity(self, features: Tensor) -> Tensor:
        """sim of Eq. (9) between all pixel pairs: ``(B, C, H, W) -> (B, N, N)``, N = H * W."""
        unit = F.normalize(features.flatten(2), dim=1)  # (B, C, N)
        return (unit.transpose(1, 2) @ unit).clamp(min=0).pow(self.power)  # (B, N, N)

    def forward(self, local_pred: Tensor, features: Tensor) -> Tensor:
        """``q(R)`` ``(B, C, H, W)`` and R ``(B, C', H, W)`` -> Q ``(B, C, H, W)`` (Eq. 8)."""
        values = F.normalize(local_pred.flatten(2), dim=1)  # q_hat(R): (B, C, N), PixPro's value norm
        attended = values @ self.similarity(features).transpose(1, 2)  # (B, C, N): sum over i'j'
        if self.residual:
            attended = attended + values
        return attended.view_as(local_pred)
