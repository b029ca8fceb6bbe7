from typing import NamedTuple

from mmengine.model import BaseModule
from mmselfsup.registry import MODELS
from torch import Tensor


class AlignedPair(NamedTuple):
    """The two views' 2D projections made comparable cell by cell.

    Attributes:
        predictor_input: ``(B, C + extra, H, W)`` what the online predictor reads (R, or [G; Delta C]).
        online: ``(B, C, H, W)`` the aligned online projection R, on which self-attention measures
            similarity (Eq. 9).
        target: ``(B, C, H, W)`` the aligned target projection R', the input of K-means (Sec. 3.3).
        valid: ``(B,)`` bool, False where the pair cannot be aligned (its crops do not overlap).
    """
    predictor_input: Tensor
    online: Tensor
    target: Tensor
    valid: Tensor


@MODELS.register_module()
class NoAlignment(BaseModule):
    """Compare cell (i, j) of one view with cell (i, j) of the other (the "no alignment" ablation).

    Every alignment takes the two views' unflipped projections G, G' ``(B, C, H, W)`` and their crop
    boxes ``(B, 4)`` in original-image pixels and returns an :class:`AlignedPair`. ``extra_channels``
    is how many channels the alignment appends to the predictor's input.
    """

    extra_channels = 0

    def forward(self, online: Tensor, target: Tensor, online_boxes: Tensor,
                target_boxes: Tensor) -> AlignedPair:
        valid = online.new_ones(online.size(0), dtype=bool)
        return AlignedPair(online, online, target, valid)
