import torch
from mmengine.structures import BaseDataElement
from torch import Tensor

from ...registry import MODELS
from ...structures import flip_back
from ..utils import host_head_loss
from .multisiam_base import MultiSiamBase


@MODELS.register_module()
class MultiSiam(MultiSiamBase):
    """MultiSiam: BYOL with a multi-instance 2D branch (Chen et al., ICCV 2021).

    Both views go through the online network (backbone, :class:`MultiSiamNeck`) and the target network,
    an EMA of it with momentum rising from ``base_momentum`` to ``end_momentum`` on a cosine schedule.
    The 1D branch is BYOL's (Eq. 1); the 2D branch flips flipped views' maps back, aligns the views
    (Eq. 3-7) and predicts each pixel's K-means cluster (Eq. 8-10). Both are symmetrized over the views
    like mmselfsup's BYOL, and combined by Eq. (11): lambda * L_1D + (1 - lambda) * L_2D.

    The arguments are :class:`MultiSiamBase`'s: ``head`` is the host's ``LatentPredictHead`` (predictor +
    cosine loss, Eq. 1), ``head_2d`` a :class:`ClusterConsistencyHead`, and the momentum rises from 0.996 to 1.0
    (BYOL's, ``DEFAULT_MOMENTUM``) unless ``base_momentum`` / ``end_momentum`` say otherwise.
    """

    DEFAULT_MOMENTUM = (0.996, 1.0)

    def check_alignment(self) -> None:
        """The 2D predictor reads the 2D projection plus the alignment's extra (offset) channels."""
        expected = self.neck.projector_2d.out_channels + self.alignment.extra_channels
        got = self.head_2d.predictor.in_channels
        if got != expected:
            raise ValueError(
                f'model.head_2d.predictor.in_channels must be {expected} for {type(self.alignment).__name__} '
                f'(2D projector out_channels + {self.alignment.extra_channels} extra channels), got {got}')

    def loss_2d(self, online_maps: list[Tensor], target_maps: list[Tensor], boxes: Tensor) -> Tensor:
        """Symmetrized Eq. (10): view 1 predicts view 2's clusters and vice versa."""
        return sum(
            self.head_2d(self.alignment(online_maps[a], target_maps[b], boxes[a], boxes[b]))
            for a, b in ((0, 1), (1, 0)))

    def loss(self, inputs: list[Tensor], data_samples: list[BaseDataElement],
             **kwargs) -> dict[str, Tensor]:
        """Eq. (11), returned as its two weighted terms so that both are logged."""
        boxes, flipped = (t.to(inputs[0].device) for t in self.view_geometry(data_samples))
        online = [self.neck(self.backbone(img)) for img in inputs]  # per view: [z (B, D), G (B, D, H, W)]
        with torch.no_grad():
            self.update_target()
            target = [self.target_net(img) for img in inputs]
        loss_1d = host_head_loss(self.head, online[0][0], target[1][0]) + host_head_loss(self.head, online[1][0],
                                                                                         target[0][0])
        online_maps = [flip_back(out[1], flip) for out, flip in zip(online, flipped)]
        target_maps = [flip_back(out[1], flip) for out, flip in zip(target, flipped)]
        loss_2d = self.loss_2d(online_maps, target_maps, boxes)
        # the factor 2 keeps mmselfsup BYOL's scale: loss_weight_1d=1 reproduces its loss exactly
        return dict(loss_1d=2 * self.loss_weight_1d * loss_1d,
                    loss_2d=2 * (1 - self.loss_weight_1d) * loss_2d)

