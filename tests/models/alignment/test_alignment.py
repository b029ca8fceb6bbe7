import pytest
import torch

from multisiam_mm.models.necks import ConvMLPNeck

from multisiam_mm.models.alignment import NoAlignment, OffsetAlignment, RoIAlignment
from multisiam_mm.structures import box_intersection, cell_centers, flip_back, offset_map


def boxes(*rows):
    return torch.tensor(rows, dtype=torch.float32)


def coordinate_map(view_boxes, feat_hw, flipped=False):
    """A feature map whose two channels are each cell's original-image (x, y): what an ideal, position
    aware network would output for the view; a flipped view's network sees mirrored pixels."""
    maps = cell_centers(view_boxes, feat_hw)
    return maps.flip(-1) if flipped else maps


def test_roi_alignment_makes_same_cells_see_the_same_place():
    # view 1: 100x100 at the origin; view 2: 80x80 at (50, 20); intersection (50, 20, 100, 100)
    b1, b2 = boxes([0, 0, 100, 100]), boxes([50, 20, 130, 100])
    hw = (16, 16)
    out = RoIAlignment()(coordinate_map(b1, hw), coordinate_map(b2, hw), b1, b2)
    expected = cell_centers(box_intersection(b1, b2), hw)  # cell centers of the intersection grid
    # inside, RoIAlign of a linear map is exact; at the border it clamps by at most 1/4 of a view cell
    assert torch.allclose(out.online[..., 1:-1, 1:-1], expected[..., 1:-1, 1:-1], atol=1e-3)
    assert torch.allclose(out.target[..., 1:-1, 1:-1], expected[..., 1:-1, 1:-1], atol=1e-3)
    assert (out.online - expected).abs().max() <= 100 / 16 / 4 + 1e-3
    assert out.valid.tolist() == [True]
    assert out.online.shape == (1, 2, 16, 16)  # RoI alignment adds no channels


def test_roi_alignment_marks_disjoint_crops_invalid():
    b1, b2 = boxes([0, 0, 10, 10], [0, 0, 10, 10]), boxes([20, 20, 30, 30], [5, 5, 15, 15])
    maps = torch.randn(2, 3, 4, 4)
    assert RoIAlignment()(maps, maps, b1, b2).valid.tolist() == [False, True]


@pytest.mark.parametrize('flip_online,flip_target', [(False, False), (True, False), (True, True)])
def test_offset_alignment_points_each_online_cell_at_its_target_cell(flip_online, flip_target):
    b1, b2 = boxes([0, 10, 70, 80]), boxes([14, 3, 84, 73])
    hw = (7, 7)
    # what the networks output for (possibly flipped) views, flipped back as the model does
    online = flip_back(coordinate_map(b1, hw, flip_online), torch.tensor([flip_online]))
    target = flip_back(coordinate_map(b2, hw, flip_target), torch.tensor([flip_target]))
    out = OffsetAlignment(normalize=False)(online, target, b1, b2)
    assert out.online.shape == (1, 4, 7, 7)  # R = [G; Delta C] (Eq. 6)
    offsets = out.online[:, 2:]
    assert torch.allclose(offsets[:, 0], torch.full((1, 7, 7), 14.0))  # hand-derived: shift (+14, -7)
    assert torch.allclose(offsets[:, 1], torch.full((1, 7, 7), -7.0))
    assert torch.allclose(online + offsets, target)  # online coordinate + offset = target coordinate
    assert torch.equal(out.target, target) and torch.equal(out.online[:, :2], online)


def test_offset_alignment_normalizes_by_online_extent():
    b1, b2 = boxes([0, 10, 70, 80]), boxes([14, 3, 84, 73])
    out = OffsetAlignment()(torch.zeros(1, 3, 7, 7), torch.zeros(1, 3, 7, 7), b1, b2)
    assert torch.allclose(out.online[:, 3:], offset_map(b1, b2, (7, 7)))
    assert torch.allclose(out.online[0, 3, 0, 0], torch.tensor(14 / 60))  # 14 px / 60 px


def test_flip_back_makes_a_flipped_views_map_equal_the_unflipped_one():
    torch.manual_seed(0)
    image = torch.randn(2, 3, 8, 8)
    net = ConvMLPNeck(3, 16, 4, norm_cfg=dict(type='BN')).eval()  # per-pixel, so flip-equivariant
    maps_flipped_view = net(image.flip(-1))
    restored = flip_back(maps_flipped_view, torch.tensor([True, True]))
    assert torch.allclose(restored, net(image), atol=1e-6)


def test_no_alignment_passes_maps_through():
    maps = torch.randn(2, 3, 4, 4)
    out = NoAlignment()(maps, maps + 1, boxes([0, 0, 1, 1]), boxes([0, 0, 1, 1]))
    assert torch.equal(out.online, maps) and torch.equal(out.target, maps + 1)
