import itertools
import re

import mmcv
import numpy as np
import pytest

from multisiam_mm.datasets.transforms import IoUConstrainedPairCrop, sample_random_resized_boxes
from multisiam_mm.datasets.transforms import iou_constrained_pair_crop as pair_crop_module
from multisiam_mm.datasets.transforms.iou_constrained_pair_crop import near_box

from data_test_utils import coordinate_image


def hand_iou(a, b) -> float:
    """IoU of two (x1, y1, x2, y2) boxes written out longhand, independent of the geometry module."""
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def test_random_resized_boxes_are_integer_boxes_inside_the_image_with_byol_scale_and_ratio():
    height, width = 360, 480
    boxes = sample_random_resized_boxes(height, width, 2000)  # (2000, 4)
    x1, y1, x2, y2 = boxes.T
    assert np.all(boxes == np.round(boxes))
    assert np.all((0 <= x1) & (x1 < x2) & (x2 <= width) & (0 <= y1) & (y1 < y2) & (y2 <= height))
    w, h = x2 - x1, y2 - y1
    # width and height are rounded from sqrt(area * r) and sqrt(area / r): allow half a pixel each
    area = (w + 0.5) * (h + 0.5) / (height * width)
    assert np.all(area >= 0.08 - 1e-9) and np.all((w - 0.5) * (h - 0.5) / (height * width) <= 1.0)
    assert np.all((w + 0.5) / (h - 0.5) >= 3 / 4) and np.all((w - 0.5) / (h + 0.5) <= 4 / 3)


def test_fixed_scale_gives_hand_derived_box_size():
    # 100x100 image, area fraction 0.25, aspect 1: every crop is sqrt(10000 * 0.25) = 50 px square
    boxes = sample_random_resized_boxes(100, 100, 500, scale=(0.25, 0.25), ratio=(1., 1.))
    assert np.all(boxes[:, 2] - boxes[:, 0] == 50) and np.all(boxes[:, 3] - boxes[:, 1] == 50)
    assert set(np.unique(boxes[:, 0])) <= set(range(51))  # left corner in 0..50
    assert boxes[:, 0].min() == 0 and boxes[:, 0].max() == 50  # both ends reachable


@pytest.mark.parametrize('iou_threshold', [0.3, 0.5, 0.7])
def test_every_accepted_pair_exceeds_the_threshold_and_lies_inside_the_image(iou_threshold):
    crop = IoUConstrainedPairCrop(size=224, iou_threshold=iou_threshold)
    for height, width in [(360, 480), (1280, 1920), (500, 40)]:
        for _ in range(100):
            boxes, drawn = crop.sample_pair(height, width)  # (2, 4)
            assert drawn > 0  # accepted by rejection, no fallback
            assert hand_iou(*boxes) > iou_threshold
            assert np.all(boxes[:, [0, 1]] >= 0) and np.all(boxes[:, 2] <= width) and np.all(boxes[:, 3] <= height)


def test_acceptance_rate_matches_the_hand_derived_probability():
    # 100x100 image, 50x50 crops with corners uniform in 0..50: a pair offset by (dx, dy) overlaps in
    # (50 - |dx|)(50 - |dy|) px and IoU > 0.5 iff that exceeds 5000 * 0.5 / 1.5. Rejection sampling
    # draws a geometric number of candidates with mean 1 / P(accept).
    offsets = np.array([a - b for a, b in itertools.product(range(51), repeat=2)])  # (51*51,) dx values
    overlap = (50 - np.abs(offsets))[:, None] * (50 - np.abs(offsets))[None, :]  # (2601, 2601)
    accept_prob = np.mean(overlap > 5000 * 0.5 / 1.5)
    assert 0.1 < accept_prob < 0.3
    crop = IoUConstrainedPairCrop(scale=(0.25, 0.25), ratio=(1., 1.), iou_threshold=0.5)
    drawn = np.array([crop.sample_pair(100, 100)[1] for _ in range(3000)])
    assert drawn.min() >= 1
    # std of the mean of 3000 geometric draws: sqrt(1 - p) / p / sqrt(3000) < 0.12
    assert drawn.mean() == pytest.approx(1 / accept_prob, abs=0.5)


def test_views_show_the_recorded_boxes():
    # channel 0 holds x // 2 and channel 1 holds y // 2: a view's pixels tell which original pixels it shows
    img = coordinate_image(360, 480)
    crop = IoUConstrainedPairCrop(size=64, iou_threshold=0.5)
    for _ in range(20):
        results = crop(dict(img=img.copy()))
        assert results['crop_boxes'].dtype == np.float32 and results['crop_boxes'].shape == (2, 4)
        for view, (x1, y1, x2, y2) in zip(results['img'], results['crop_boxes']):
            assert view.shape == (64, 64, 3) and view.dtype == np.uint8
            centers = (np.arange(64) + 0.5) / 64  # view pixel centers as fractions of the crop
            expected_x = (x1 + centers * (x2 - x1) - 0.5) / 2 - 0.25  # mean of x // 2 near x
            expected_y = (y1 + centers * (y2 - y1) - 0.5) / 2 - 0.25
            assert np.abs(view[32, :, 0] - expected_x).max() < 2.0
            assert np.abs(view[:, 32, 1] - expected_y).max() < 2.0


@pytest.mark.parametrize('backend,interpolation', [('cv2', 'bicubic'), ('cv2', 'area'), ('pillow', 'bilinear')])
def test_other_resize_backends_show_the_same_boxes(backend, interpolation):
    img = coordinate_image(360, 480)
    crop = IoUConstrainedPairCrop(size=32, backend=backend, interpolation=interpolation)
    results = crop(dict(img=img))
    for view, (x1, y1, x2, y2) in zip(results['img'], results['crop_boxes']):
        assert view.shape == (32, 32, 3)
        center = 16.5 / 32  # view pixel 16's center as a fraction of the crop
        assert abs(float(view[16, 16, 0]) - ((x1 + center * (x2 - x1) - 0.5) / 2 - 0.25)) < 2.0
        assert abs(float(view[16, 16, 1]) - ((y1 + center * (y2 - y1) - 0.5) / 2 - 0.25)) < 2.0


def test_near_box_keeps_size_and_exceeds_threshold():
    # (0, 0, 100, 100) in a 200x200 image at threshold 0.5: overlap fraction > 2/3, so each axis keeps
    # more than sqrt(2/3) = 0.8165 of 100 px and shifts at most floor(18.35) = 18 px, away from the border
    box = np.array([0., 0., 100., 100.])
    for _ in range(300):
        other = near_box(box, 200, 200, 0.5)
        assert other[2] - other[0] == 100 and other[3] - other[1] == 100
        assert 0 <= other[0] <= 18 and 0 <= other[1] <= 18
        assert hand_iou(box, other) > 0.5


def test_fallback_is_logged_and_still_satisfies_the_threshold(monkeypatch):
    messages = []
    monkeypatch.setattr(pair_crop_module, 'print_log', lambda msg, **kwargs: messages.append(msg))
    # one candidate pair at IoU > 0.9 almost always fails, forcing the fallback
    crop = IoUConstrainedPairCrop(size=32, iou_threshold=0.9, max_attempts=1)
    img = coordinate_image(360, 480)
    for _ in range(30):
        results = crop(dict(img=img, img_path='frame.jpg'))
        assert hand_iou(*results['crop_boxes']) > 0.9
    assert crop.num_fallbacks > 20 and len(messages) == crop.num_fallbacks
    assert 'frame.jpg' in messages[-1] and f'so far in this process: {crop.num_fallbacks}' in messages[-1]


def test_unconstrained_crops_and_tiny_or_thin_images():
    crop = IoUConstrainedPairCrop(size=16, iou_threshold=None)
    boxes, drawn = crop.sample_pair(360, 480)
    assert drawn == 1 and boxes.shape == (2, 4)
    strict = IoUConstrainedPairCrop(size=16, iou_threshold=0.5)
    for height, width in [(1, 1), (2, 3), (1, 600), (600, 1)]:
        img = np.full((height, width, 3), 7, np.uint8)
        results = strict(dict(img=img))
        boxes = results['crop_boxes']
        assert all(view.shape == (16, 16, 3) for view in results['img'])
        assert np.all(boxes[:, :2] >= 0) and np.all(boxes[:, 2] <= width) and np.all(boxes[:, 3] <= height)
        assert hand_iou(*boxes) > 0.5


def test_bad_arguments_name_the_value():
    with pytest.raises(ValueError, match=r'iou_threshold must be in \[0, 1\) or None, got 1.2'):
        IoUConstrainedPairCrop(iou_threshold=1.2)
    with pytest.raises(ValueError, match='scale'):
        IoUConstrainedPairCrop(scale=(0.5, 0.1))
    with pytest.raises(ValueError, match="backend must be 'pillow' or 'cv2', got 'turbo'"):
        IoUConstrainedPairCrop(backend='turbo')


@pytest.mark.parametrize('backend,interpolation', [('pillow', 'bicubic'), ('cv2', 'bicubic')])
def test_crops_are_exactly_byol_resizes_of_the_strided_slices(backend, interpolation):
    # crop_and_resize copies each crop to a contiguous array first (faster in Pillow): same pixels as
    # mmcv.imresize on the strided slice, which is what BYOL's crop hands it
    img = np.random.RandomState(0).randint(0, 256, (360, 480, 3)).astype(np.uint8)
    crop = IoUConstrainedPairCrop(size=64, backend=backend, interpolation=interpolation)
    boxes, _ = crop.sample_pair(360, 480)
    for view, (x1, y1, x2, y2) in zip(crop.crop_and_resize(img, boxes), boxes.astype(int)):
        expected = mmcv.imresize(img[y1:y2, x1:x2], (64, 64), interpolation=interpolation, backend=backend)
        assert np.array_equal(view, expected)


def test_mostly_central_pairs_are_warned_once_with_the_fraction(monkeypatch):
    logged = []
    monkeypatch.setattr(pair_crop_module, 'print_log', lambda msg, **kwargs: logged.append(msg))
    np.random.seed(0)
    crop = IoUConstrainedPairCrop(size=32)
    for _ in range(60):
        crop.sample_boxes(300, 4000, 'pano.jpg')  # 13:1 panorama: no 3/4-4/3 crop fits
    out = '\n'.join(logged)
    assert out.count('were the central crop for both views') == 1
    fraction = re.search(r'IoUConstrainedPairCrop: (\d+)% of 50 pairs in this worker were the central crop', out)
    assert fraction and int(fraction.group(1)) > 90  # only the smallest, widest draws fit 300 px
    assert 'pano.jpg, 4000x300' in out
    normal = IoUConstrainedPairCrop(size=32)
    for _ in range(60):
        normal.sample_boxes(360, 480, 'frame.jpg')
    assert '\n'.join(logged).count('central crop for both views') == 1  # 480x360 frames add none
