from mmengine.model import BaseModule
from ...registry import MODELS, build_model
from torch import Tensor


@MODELS.register_module()
class MultiSiamNeck(BaseModule):
    """MultiSiam's two projectors over the backbone's final map F.

    The 1D projector pools F and projects it to z (Eq. 1, BYOL's image-level branch); the 2D projector
    keeps F's spatial layout and projects every cell to G (Sec. 3.2). Both live in one neck so that the
    target network is the EMA of ``Sequential(backbone, neck)``, exactly as in mmselfsup's BYOL.

    Args:
        projector_1d: config of the 1D projector, e.g. ``NonLinearNeck`` with ``with_avg_pool=True``.
        projector_2d: config of the 2D projector, e.g. :class:`ConvMLPNeck`.
    """

    def __init__(self, projector_1d: dict, projector_2d: dict) -> None:
        super().__init__()
        self.projector_1d = build_model(projector_1d)
        self.projector_2d = build_model(projector_2d)

    def project_1d(self, feat: Tensor) -> Tensor:
        """z of Eq. (1): the final map F ``(B, C, H, W)`` pooled and projected to ``(B, D)``."""
        return self.projector_1d([feat])[0]

    def project_2d(self, feat: Tensor) -> Tensor:
        """G: every cell of a map ``(B, C, H, W)`` projected to ``(B, D, H, W)``."""
        return self.projector_2d(feat)

    def forward(self, x: tuple[Tensor, ...]) -> list[Tensor]:
        """Backbone outputs (last one F: ``(B, C, H, W)``) -> ``[z (B, D), G (B, D, H, W)]``."""
        return [self.project_1d(x[-1]), self.project_2d(x[-1])]
