from ...registry import MODELS
from torch import Tensor

from .base_alignment import AlignedPair, BaseAlignment


@MODELS.register_module()
class NoAlignment(BaseAlignment):
    """Compare cell (i, j) of one view with cell (i, j) of the other (the "none" row of Table 2b)."""

    def forward(self, online: Tensor, target: Tensor, online_boxes: Tensor,
                target_boxes: Tensor) -> AlignedPair:
        return AlignedPair(online, target, online.new_ones(online.size(0), dtype=bool))
