from abc import ABCMeta, abstractmethod
from typing import NamedTuple

from mmengine.model import BaseModule
from torch import Tensor


class AlignedPair(NamedTuple):
    """The two views' 2D projections made comparable cell by cell.

    Attributes:
        online: ``(B, C + extra, H, W)`` the aligned online map R: what the local predictor reads and what
            the self-attention measures similarity on (Eq. 8, 9). Under offset alignment it is
            R = [G; Delta C] (Eq. 6), so ``extra = 2``; otherwise ``extra = 0``.
        target: ``(B, C, H, W)`` the aligned target map R', the input of K-means (Sec. 3.3).
        valid: ``(B,)`` bool, False where the pair cannot be aligned (its crops do not overlap).
    """
    online: Tensor
    target: Tensor
    valid: Tensor


class BaseAlignment(BaseModule, metaclass=ABCMeta):
    """The contract of a feature alignment (Sec. 3.2): every alignment, the "none" ablation included.

    ``forward(online, target, online_boxes, target_boxes)`` takes the two views' unflipped maps
    ``(B, C, H, W)`` and their crop boxes ``(B, 4)`` in original-image pixels and returns an
    :class:`AlignedPair`. ``extra_channels`` is how many channels the alignment appends to R, so the
    predictor's ``in_channels`` is the projection's channels plus it.
    """

    extra_channels = 0

    @abstractmethod
    def forward(self, online: Tensor, target: Tensor, online_boxes: Tensor,
                target_boxes: Tensor) -> AlignedPair:
        """Align the two views' maps (see the class docstring)."""
