"""Box and coordinate geometry shared by the pair-crop transform (datasets/) and the model (models/).

The single source of truth for coordinates. Conventions:

* A box is ``(x1, y1, x2, y2)`` in original-image pixel coordinates with continuous pixel edges:
  a crop of width ``w`` starting at column ``left`` is ``(left, top, left + w, top + h)``.
* A view's feature map of size ``(H, W)`` tiles its crop box evenly and is taken in the unflipped
  orientation (flipped views are flipped back first, :func:`flip_back`). Cell ``(i, j)`` covers
  ``[j, j + 1) x [i, i + 1)`` in feature coordinates, so its center is at ``(j + 0.5, i + 0.5)``,
  the convention of RoIAlign with ``aligned=True``.

All functions are pure, batched over leading dimensions and differentiable where meaningful. The box
functions (:func:`box_area`, :func:`box_intersection`, :func:`box_iou`) take numpy arrays (the data
pipeline) or torch tensors (the model) and return the same kind, with the same floating-point operations
either way; the feature-map functions take tensors.
"""
from typing import TypeVar

import numpy as np
import torch
from torch import Tensor

Boxes = TypeVar('Boxes', np.ndarray, Tensor)


def _array_module(boxes: Boxes):
    """``torch`` for tensors, ``numpy`` for arrays: both spell maximum, minimum, concatenate, finfo alike."""
    return torch if isinstance(boxes, Tensor) else np


def box_area(boxes: Boxes) -> Boxes:
    """Area of ``(..., 4)`` boxes; empty or inverted boxes have area 0."""
    wh = (boxes[..., 2:] - boxes[..., :2]).clip(min=0)  # (..., 2)
    return wh[..., 0] * wh[..., 1]


def box_intersection(boxes1: Boxes, boxes2: Boxes) -> Boxes:
    """Element-wise intersection box of two ``(..., 4)`` boxes (may be empty: x2 < x1)."""
    xp = _array_module(boxes1)
    top_left = xp.maximum(boxes1[..., :2], boxes2[..., :2])
    bottom_right = xp.minimum(boxes1[..., 2:], boxes2[..., 2:])
    return xp.concatenate([top_left, bottom_right], -1)


def box_iou(boxes1: Boxes, boxes2: Boxes) -> Boxes:
    """Element-wise IoU of two ``(..., 4)`` boxes (Sec. 3.2, the pair-crop constraint)."""
    inter = box_area(box_intersection(boxes1, boxes2))
    union = box_area(boxes1) + box_area(boxes2) - inter
    return inter / union.clip(min=_array_module(union).finfo(union.dtype).tiny)


def boxes_in_view(boxes: Tensor, view_boxes: Tensor, feat_hw: tuple[int, int]) -> Tensor:
    """Express boxes given in original-image pixels in a view's feature-map coordinates.

    Used by RoI alignment (Eq. 3, 4) to locate the crops' intersection inside each view.

    Args:
        boxes: ``(B, 4)`` boxes in original-image pixels.
        view_boxes: ``(B, 4)`` crop boxes of the views the feature maps come from.
        feat_hw: ``(H, W)`` of the view's feature map.

    Returns:
        ``(B, 4)`` boxes in feature coordinates, where the view box maps to ``(0, 0, W, H)``.
    """
    height, width = feat_hw
    origin = view_boxes[:, :2].repeat(1, 2)  # (B, 4): x1, y1, x1, y1
    extent = (view_boxes[:, 2:] - view_boxes[:, :2]).repeat(1, 2)  # (B, 4): w, h, w, h
    scale = boxes.new_tensor([width, height, width, height])
    return (boxes - origin) / extent * scale


def cell_centers(view_boxes: Tensor, feat_hw: tuple[int, int]) -> Tensor:
    """coord(G_ij) of Eq. (5): each feature cell's center in original-image pixels.

    Args:
        view_boxes: ``(B, 4)`` crop boxes of the views.
        feat_hw: ``(H, W)`` of the feature map.

    Returns:
        ``(B, 2, H, W)`` with channel 0 the x and channel 1 the y coordinate.
    """
    height, width = feat_hw
    steps_x = (torch.arange(width, dtype=view_boxes.dtype, device=view_boxes.device) + 0.5) / width
    steps_y = (torch.arange(height, dtype=view_boxes.dtype, device=view_boxes.device) + 0.5) / height
    x1, y1, x2, y2 = view_boxes.unbind(dim=1)  # each (B,)
    xs = x1[:, None] + (x2 - x1)[:, None] * steps_x  # (B, W)
    ys = y1[:, None] + (y2 - y1)[:, None] * steps_y  # (B, H)
    return torch.stack([
        xs[:, None, :].expand(-1, height, -1),
        ys[:, :, None].expand(-1, -1, width),
    ], dim=1)  # (B, 2, H, W)


def offset_map(online_boxes: Tensor, target_boxes: Tensor, feat_hw: tuple[int, int],
               normalize: bool = True) -> Tensor:
    """Delta C of Eq. (5): offset of each target cell from the same online cell.

    ``Delta C_ij = (coord(G'_ij) - coord(G_ij)) / (coord(G_HW) - coord(G_11))``, where G is the online
    view's map and G' the target view's, both unflipped. The denominator, per axis, is the distance
    between the online map's last and first cell centers. With ``normalize=False`` the raw pixel
    offsets are returned (the "Offset nonorm" ablation, Table 2b).

    Args:
        online_boxes: ``(B, 4)`` crop boxes of the online views.
        target_boxes: ``(B, 4)`` crop boxes of the target views.
        feat_hw: ``(H, W)`` of both feature maps.
        normalize: divide by the online map's center-to-center extent.

    Returns:
        ``(B, 2, H, W)`` offsets, channel 0 along x and channel 1 along y.
    """
    online = cell_centers(online_boxes, feat_hw)  # (B, 2, H, W)
    delta = cell_centers(target_boxes, feat_hw) - online  # (B, 2, H, W)
    if not normalize:
        return delta
    if min(feat_hw) < 2:
        raise ValueError(f'normalized offsets need a feature map of at least 2x2 cells, got {feat_hw}; '
                         'use a larger input or normalize=False')
    extent = online[:, :, -1, -1] - online[:, :, 0, 0]  # (B, 2): coord(G_HW) - coord(G_11)
    return delta / extent[:, :, None, None]


def flip_back(maps: Tensor, flipped: Tensor) -> Tensor:
    """Undo the horizontal flip of flipped views' ``(B, C, H, W)`` maps; ``flipped`` is ``(B,)`` bool."""
    return torch.where(flipped.view(-1, 1, 1, 1), maps.flip(-1), maps)
