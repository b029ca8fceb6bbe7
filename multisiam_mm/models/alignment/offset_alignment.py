import torch
from ...registry import MODELS
from torch import Tensor

from ...structures import offset_map
from .base_alignment import AlignedPair, BaseAlignment


@MODELS.register_module()
class OffsetAlignment(BaseAlignment):
    """Offset alignment, Eq. (5-7): tell the predictor where each target cell lies.

    The 2-channel offset map Delta C (Eq. 5, :func:`~multisiam_mm.structures.offset_map`) is
    concatenated to the online projection G, R = [G; Delta C] (Eq. 6); the target side is R' = G'
    (Eq. 7). R is what the predictor reads and what the self-attention measures similarity on (Eq. 8
    reads sim(R_ij, R_i'j'), Fig. 2c), so the predictor's ``in_channels`` must be G's channels + 2.

    Args:
        normalize: divide offsets by the online map's extent (Eq. 5); ``False`` is the "Offset nonorm"
            ablation of Table 2b. Defaults to True.
    """

    extra_channels = 2

    def __init__(self, normalize: bool = True) -> None:
        super().__init__()
        self.normalize = normalize

    def forward(self, online: Tensor, target: Tensor, online_boxes: Tensor,
                target_boxes: Tensor) -> AlignedPair:
        offsets = offset_map(online_boxes, target_boxes, tuple(online.shape[-2:]),
                             self.normalize)  # (B, 2, H, W)
        aligned_online = torch.cat([online, offsets.to(online.dtype)], dim=1)  # R: (B, C + 2, H, W)
        return AlignedPair(aligned_online, target, online.new_ones(online.size(0), dtype=bool))
