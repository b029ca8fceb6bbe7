import torch
import torch.nn.functional as F
from mmengine.structures import BaseDataElement
from torch import Tensor

from ...registry import MODELS
from ...structures import flip_back
from ..utils import batch_shuffle, batch_unshuffle, host_head_loss
from .momentum_queue import MomentumQueue
from .multisiam_base import MultiSiamBase


@MODELS.register_module()
class MultiSiamMoCo(MultiSiamBase):
    """MoCo-based MultiSiam (paper App. B.2, Table 1 "MultiSiam††"): MoCo v2 plus a 2D contrastive branch.

    View 1 is the query, view 2 the key, as in mmselfsup's ``MoCo``; the key encoder is the momentum
    (EMA) copy of ``Sequential(backbone, neck)`` (Eq. 19) and runs on a shuffled batch (shuffle BN,
    ``batch_shuffle``; without a process group it shuffles within the batch). Its backbone map is
    unshuffled before anything per-sample (flip-back, boxes) touches it; the projectors after it are
    BN-free like MoCo v2's, so they need no shuffling.

    - 1D: MoCo v2's InfoNCE of the pooled projections q, k against ``queue_1d`` (``head``).
    - 2D: flip both backbone maps back, RoIAlign them over the crops' intersection (R, R', Eq. 16-17),
      project with the self-attention projector Q = Eq. (18) and the momentum one G' = g'(R')
      (Eq. 19), then per-pixel InfoNCE of Q against k+ = Kmeans(G'_ij) and the negatives of
      ``queue_2d`` (Eq. 20-21, ``head_2d``). ``queue_2d`` holds each image's pooled G' (like DenseCL's
      second queue).
    - Eq. (11): lambda * L_1D + (1 - lambda) * L_2D; ``loss_weight_1d=1`` is mmselfsup's MoCo v2 loss.

    Both queues are pushed after the losses, so their negatives always come from other images.

    Besides the queues' ``queue_len`` and ``feat_dim``, the arguments are :class:`MultiSiamBase`'s:
    ``neck`` a :class:`MultiSiamNeck` with ``projector_1d`` (``MoCoV2Neck``) and ``projector_2d``
    (:class:`SelfAttentionProjector`), used through ``project_1d`` on F and ``project_2d`` on the aligned
    map R (the momentum side projects R' with ``projector_2d.project``, Eq. 19, no attention); ``head``
    the host's ``ContrastiveHead`` (temperature 0.2 in MoCo v2); ``head_2d`` a
    :class:`ClusterContrastHead`; ``alignment`` :class:`RoIAlignment` (App. B.2) or :class:`NoAlignment`:
    alignments that add predictor channels (offsets) do not apply, the projector is shared with the
    momentum encoder. The momentum is MoCo v2's constant 0.999 (``DEFAULT_MOMENTUM``) unless
    ``base_momentum`` / ``end_momentum`` (a cosine schedule, :class:`CosineEMA`) say otherwise.

    Args:
        queue_len: keys kept per queue. Defaults to 65536.
        feat_dim: channels of both projections (and queues). Defaults to 128.
        **kwargs: the arguments of :class:`MultiSiamBase`.
    """

    DEFAULT_MOMENTUM = (0.999, 0.999)

    def __init__(self, *args, queue_len: int = 65536, feat_dim: int = 128, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.queue_1d = MomentumQueue(queue_len, feat_dim)  # pooled keys k of other images
        self.queue_2d = MomentumQueue(queue_len, feat_dim)  # pooled G' of other images

    def check_alignment(self) -> None:
        """The 2D projector is shared with the momentum encoder: the alignment must not add channels."""
        if self.alignment.extra_channels:
            raise ValueError(
                f'model.alignment must not add channels (the 2D projector is shared with the momentum '
                f'encoder): use RoIAlignment (App. B.2) or NoAlignment, got {type(self.alignment).__name__}')

    @torch.no_grad()
    def key_map(self, img: Tensor) -> Tensor:
        """The momentum backbone's final map F' ``(B, C, H, W)``, computed on a shuffled batch."""
        shuffled, idx_unshuffle = batch_shuffle(img)
        return batch_unshuffle(self.target_backbone(shuffled)[-1], idx_unshuffle)

    def loss(self, inputs: list[Tensor], data_samples: list[BaseDataElement],
             **kwargs) -> dict[str, Tensor]:
        """Eq. (11) with MoCo v2's 1D term and the App. B.2 2D term, as two weighted losses."""
        boxes, flipped = (t.to(inputs[0].device) for t in self.view_geometry(data_samples))
        feat_q = self.backbone(inputs[0])[-1]  # F: (B, C, H, W)
        q = F.normalize(self.neck.project_1d(feat_q), dim=1)  # (B, D)
        with torch.no_grad():
            self.update_target()
            feat_k = self.key_map(inputs[1])  # F': (B, C, H, W), in the batch's order
            k = F.normalize(self.target_neck.project_1d(feat_k), dim=1)  # (B, D)

        # 1D: MoCo v2's InfoNCE against the queue
        l_pos = (q * k).sum(dim=1, keepdim=True)  # (B, 1)
        l_neg = q @ self.queue_1d.negatives().t()  # (B, K)
        loss_1d = host_head_loss(self.head, l_pos, l_neg)

        # 2D: Eq. (16-17) on the unflipped backbone maps, Eq. (18-21)
        aligned = self.alignment(flip_back(feat_q, flipped[0]), flip_back(feat_k, flipped[1]), boxes[0],
                                 boxes[1])
        query_2d = self.neck.project_2d(aligned.online)  # Q: (B, D, H, W)
        with torch.no_grad():
            target_2d = self.target_neck.projector_2d.project(aligned.target)  # G': (B, D, H, W)
        loss_2d = self.head_2d(query_2d, target_2d, self.queue_2d.negatives(), aligned.valid)

        self.queue_1d.push(k)
        self.queue_2d.push(F.normalize(target_2d.mean(dim=(2, 3)), dim=1))  # (B, D)
        return dict(loss_1d=self.loss_weight_1d * loss_1d, loss_2d=(1 - self.loss_weight_1d) * loss_2d)
