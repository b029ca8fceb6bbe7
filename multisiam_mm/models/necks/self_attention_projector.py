from typing import Optional

from mmengine.model import BaseModule
from ...registry import MODELS, build_model
from torch import Tensor


@MODELS.register_module()
class SelfAttentionProjector(BaseModule):
    """The MoCo-based MultiSiam's 2D projector g with the self-attention inside it, App. B.2 Eq. (18, 19).

    The online side is Q_ij = sum_{i'j'} sim(R_ij, R_i'j') g(R_i'j') (Eq. 18), with R the RoI-aligned
    backbone map (Eq. 16) and sim (:class:`PixelSelfAttention`) measured on R itself, i.e. on the
    aligned backbone features, as the main model measures it on the aligned input of its predictor;
    each g(R_i'j') is L2-normalized before it is aggregated, as in PixPro's pixel propagation module.
    The momentum encoder's copy projects without attention: G' = g'(R') (Eq. 19, :meth:`project`).

    Args:
        mlp: the per-pixel MLP g, an mmselfsup vector neck applied to every pixel as a batch of vectors
            (``[(M, C)] -> [(M, D)]``), e.g. ``MoCoV2Neck`` with ``with_avg_pool=False``: MoCo v2's
            BN-free fc-relu-fc, i.e. a 1x1-conv MLP, so that shuffle BN in the backbone suffices.
        attention: :class:`PixelSelfAttention` config, or None for Q = g(R).
    """

    def __init__(self, mlp: dict, attention: Optional[dict] = None) -> None:
        super().__init__()
        self.mlp = build_model(mlp)
        self.attention = build_model(attention) if attention is not None else None

    def project(self, x: Tensor) -> Tensor:
        """g applied at every pixel: ``(B, C, H, W) -> (B, D, H, W)`` (Eq. 19 for the momentum copy)."""
        batch, channels, height, width = x.shape
        pixels = x.flatten(2).transpose(1, 2).reshape(-1, channels)  # (B * H * W, C)
        out = self.mlp([pixels])[0]  # (B * H * W, D)
        return out.view(batch, height * width, -1).transpose(1, 2).reshape(batch, -1, height, width)

    def forward(self, x: Tensor) -> Tensor:
        """Q of Eq. (18): aligned backbone map R ``(B, C, H, W)`` -> ``(B, D, H, W)``."""
        projected = self.project(x)  # g(R): (B, D, H, W)
        return projected if self.attention is None else self.attention(projected, x)
