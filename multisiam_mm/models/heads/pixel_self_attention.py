import torch.nn.functional as F
from mmengine.model import BaseModule
from mmselfsup.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class PixelSelfAttention(BaseModule):
    """Self-attention predictor, Eq. (8, 9): Q_ij = sum_{i'j'} sim(R_ij, R_i'j') q(R_i'j').

    ``sim = max(cos, 0) ** power`` is measured on the aligned online projection R (for offset
    alignment: G, without the offset channels, so that similarity is about content, not position);
    q(R) is the local predictor's output. Each pixel's prediction thus gathers the predictions of the
    pixels that look like it, i.e. of its instance.

    Args:
        power: exponent of the clipped cosine. Defaults to 2 (the paper's max(cos, 0)^2).
        residual: add the local prediction, Q = q(R) + attention (Table 9). Defaults to False.
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
        q = local_pred.flatten(2)  # (B, C, N)
        attended = q @ self.similarity(features).transpose(1, 2)  # (B, C, N): sum over i'j'
        if self.residual:
            attended = attended + q
        return attended.view_as(local_pred)
