import torch
from ...registry import MODELS
from torch import Tensor
from torchvision.ops import roi_align

from ...structures import box_area, box_intersection, boxes_in_view
from .base_alignment import AlignedPair, BaseAlignment


@MODELS.register_module()
class RoIAlignment(BaseAlignment):
    """RoI alignment, Eq. (3, 4): R = RoIAlign(G, I), R' = RoIAlign(G', I').

    I is the intersection of the two crop boxes, expressed in each view's own feature coordinates;
    the output has the input maps' size, so cell (i, j) of R and R' see the same image region.

    Args:
        sampling_ratio: RoIAlign sampling points per output bin and axis. Defaults to 2.
    """

    def __init__(self, sampling_ratio: int = 2) -> None:
        super().__init__()
        self.sampling_ratio = sampling_ratio

    def _roi_align(self, maps: Tensor, boxes: Tensor) -> Tensor:
        """RoIAlign one box per map: ``(B, C, H, W), (B, 4) feature coords -> (B, C, H, W)``."""
        batch_index = torch.arange(boxes.size(0), dtype=maps.dtype, device=maps.device)[:, None]
        rois = torch.cat([batch_index, boxes.to(maps.dtype)], dim=1)  # (B, 5): index, x1, y1, x2, y2
        return roi_align(maps, rois, output_size=tuple(maps.shape[-2:]), spatial_scale=1.0,
                         sampling_ratio=self.sampling_ratio, aligned=True)

    def forward(self, online: Tensor, target: Tensor, online_boxes: Tensor,
                target_boxes: Tensor) -> AlignedPair:
        feat_hw = tuple(online.shape[-2:])
        inter = box_intersection(online_boxes, target_boxes)  # (B, 4) original pixels
        aligned_online = self._roi_align(online, boxes_in_view(inter, online_boxes, feat_hw))
        aligned_target = self._roi_align(target, boxes_in_view(inter, target_boxes, feat_hw))
        return AlignedPair(aligned_online, aligned_target, box_area(inter) > 0)
