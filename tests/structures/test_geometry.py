import numpy as np
import pytest
import torch

from multisiam_mm.structures import (box_area, box_intersection, box_iou, boxes_in_view, cell_centers, flip_back,
                                    offset_map)


def boxes(*rows):
    return torch.tensor(rows, dtype=torch.float32)


def test_iou_of_known_boxes():
    # 10x10 and 10x10 squares overlapping in a 5x10 strip: 50 / (100 + 100 - 50) = 1/3
    a, b = boxes([0, 0, 10, 10]), boxes([5, 0, 15, 10])
    assert box_iou(a, b).item() == pytest.approx(1 / 3)
    assert box_iou(a, a).item() == pytest.approx(1.0)
    assert box_iou(a, boxes([20, 20, 30, 30])).item() == 0.0  # disjoint: empty intersection


def test_iou_of_known_numpy_boxes_matches_the_tensor_iou_bit_for_bit():
    # 10x10 squares overlapping in a 5x10 strip: 50 / (100 + 100 - 50) = 1/3
    boxes1 = np.array([[0, 0, 10, 10], [0, 0, 10, 10]], dtype=np.float64)
    boxes2 = np.array([[5, 0, 15, 10], [0, 0, 10, 10]], dtype=np.float64)
    assert box_iou(boxes1, boxes2) == pytest.approx([1 / 3, 1.0])
    # (500, 2, 2): two corners of (x, y) each, sorted per coordinate so the first is the top-left
    random1, random2 = (np.sort(np.random.default_rng(seed).uniform(0, 100, (500, 2, 2)), axis=1).reshape(500, 4)
                        for seed in (0, 1))  # (500, 4): x1, y1, x2, y2
    ious = box_iou(random1, random2)  # numpy in, numpy out: no torch round trip
    assert isinstance(ious, np.ndarray)
    assert np.array_equal(ious, box_iou(torch.from_numpy(random1), torch.from_numpy(random2)).numpy())


def test_intersection_and_area():
    inter = box_intersection(boxes([0, 0, 10, 10]), boxes([5, 2, 15, 8]))
    assert inter.tolist() == [[5, 2, 10, 8]]
    assert box_area(inter).tolist() == [30]
    assert box_area(boxes([5, 5, 1, 1])).tolist() == [0]  # inverted box counts as empty


def test_boxes_in_view_maps_view_box_to_full_feature_map():
    view = boxes([100, 50, 300, 250])  # 200x200 crop
    assert boxes_in_view(view, view, (7, 7)).tolist() == [[0, 0, 7, 7]]
    # the crop's right half in original pixels is the map's right half in feature coordinates
    right_half = boxes([200, 50, 300, 250])
    assert boxes_in_view(right_half, view, (7, 7)).tolist() == [[3.5, 0, 7, 7]]


def test_cell_centers_of_known_crop():
    # a 40x20 crop at (10, 0) on a 2x4 map: cells are 10 px wide and 10 px tall
    centers = cell_centers(boxes([10, 0, 50, 20]), (2, 4))
    assert centers.shape == (1, 2, 2, 4)
    assert centers[0, 0, 0].tolist() == [15, 25, 35, 45]  # x of row 0
    assert centers[0, 1, :, 0].tolist() == [5, 15]  # y of column 0


def test_offset_map_of_shifted_crop():
    # target crop shifted by (+14, -7) px; online map 7x7 over 70x70 px: centers span 60 px per axis
    online, target = boxes([0, 10, 70, 80]), boxes([14, 3, 84, 73])
    raw = offset_map(online, target, (7, 7), normalize=False)
    assert torch.allclose(raw[0, 0], torch.full((7, 7), 14.0))
    assert torch.allclose(raw[0, 1], torch.full((7, 7), -7.0))
    normed = offset_map(online, target, (7, 7))
    assert torch.allclose(normed[0, 0], torch.full((7, 7), 14 / 60))
    assert torch.allclose(normed[0, 1], torch.full((7, 7), -7 / 60))


def test_offset_map_of_scaled_crop_varies_per_cell():
    # target is the same crop scaled 2x about its top-left corner: offset grows with the cell's x
    online, target = boxes([0, 0, 20, 20]), boxes([0, 0, 40, 40])
    raw = offset_map(online, target, (2, 2), normalize=False)
    # online centers x = 5, 15; target centers x = 10, 30 -> offsets 5, 15
    assert raw[0, 0, 0].tolist() == [5, 15]
    assert offset_map(online, target, (2, 2))[0, 0, 0].tolist() == [0.5, 1.5]  # / (15 - 5)


def test_offset_map_normalization_needs_two_cells():
    with pytest.raises(ValueError, match='at least 2x2'):
        offset_map(boxes([0, 0, 10, 10]), boxes([0, 0, 10, 10]), (1, 1))


def test_flip_back_only_flips_flagged_views():
    maps = torch.arange(2 * 1 * 2 * 3, dtype=torch.float32).view(2, 1, 2, 3)
    out = flip_back(maps, torch.tensor([True, False]))
    assert out[0, 0, 0].tolist() == [2, 1, 0]
    assert torch.equal(out[1], maps[1])
