"""PerViewAugment in the worker: flips that move the pixels and are recorded, views that keep their shape, and
pipelines it cannot reproduce refused when it is built."""
import numpy as np
import pytest
from mmcv.transforms import Compose

from multisiam_mm.datasets.transforms import IoUConstrainedPairCrop
from multisiam_mm.views import PerViewAugment

RED = (0, 0, 255)  # BGR


def marker_image(height: int = 360, width: int = 480) -> np.ndarray:
    """Grey frame with a red marker in its left part: columns 20..59, rows 150..209."""
    img = np.full((height, width, 3), 100, np.uint8)
    img[150:210, 20:60] = RED
    return img


def marker_columns(view: np.ndarray) -> np.ndarray:
    red = (view[..., 2] > 200) & (view[..., 0] < 60) & (view[..., 1] < 60)  # (H, W)
    return np.flatnonzero(red.any(axis=0))


def whole_image_crop(size: int) -> IoUConstrainedPairCrop:
    # 480x360 has aspect 4/3: area fraction 1 at aspect 4/3 is the whole frame, (0, 0, 480, 360)
    return IoUConstrainedPairCrop(size=size, scale=(1., 1.), ratio=(4 / 3, 4 / 3), interpolation='nearest')


def test_forced_flip_moves_the_marker_right_and_is_recorded():
    pipeline = Compose([
        whole_image_crop(size=48),  # 10x downscale: marker at view columns 2..5
        PerViewAugment(transforms=[[dict(type='RandomFlip', prob=1.)], [dict(type='RandomFlip', prob=0.)]]),
    ])
    results = pipeline(dict(img=marker_image()))
    assert results['crop_boxes'].tolist() == [[0, 0, 480, 360], [0, 0, 480, 360]]
    assert results['flipped'].dtype == np.bool_ and results['flipped'].tolist() == [True, False]
    flipped_view, kept_view = results['img']
    assert marker_columns(kept_view).tolist() == [2, 3, 4, 5]
    assert marker_columns(flipped_view).tolist() == [42, 43, 44, 45]  # 47 - 5 .. 47 - 2


def test_random_flips_agree_with_the_pixels():
    pipeline = Compose([
        whole_image_crop(size=48),
        PerViewAugment(transforms=[[dict(type='RandomFlip', prob=0.5)], [dict(type='RandomFlip', prob=0.5)]]),
    ])
    np.random.seed(0)
    seen = set()
    for _ in range(40):
        results = pipeline(dict(img=marker_image()))
        for view, flipped in zip(results['img'], results['flipped']):
            on_right = marker_columns(view).min() > 24
            assert on_right == flipped
            seen.add(bool(flipped))
    assert seen == {True, False}


def test_byol_photometric_views_keep_shape_and_flip_record():
    byol_color = [
        dict(type='RandomApply', transforms=[
            dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)], prob=0.8),
        dict(type='RandomGrayscale', prob=0.2, keep_channels=True, channel_weights=(0.114, 0.587, 0.2989)),
        dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0, prob=1.),
        dict(type='RandomSolarize', prob=0.2),
    ]
    augment = PerViewAugment(transforms=[[dict(type='RandomFlip', prob=1.)] + byol_color,
                                         [dict(type='RandomFlip', prob=0.)] + byol_color])
    views = [np.full((32, 32, 3), 90, np.uint8), np.full((32, 32, 3), 90, np.uint8)]
    results = augment(dict(img=views, img_path='x.jpg'))
    assert [v.shape for v in results['img']] == [(32, 32, 3), (32, 32, 3)]
    assert all(v.dtype == np.uint8 for v in results['img'])
    assert results['flipped'].tolist() == [True, False]
    assert 'flip' not in results  # per-view records do not leak into the pair's results


def test_geometric_per_view_transforms_are_refused_when_built():
    with pytest.raises(ValueError, match="only horizontal flips are recorded, got direction='vertical'"):
        PerViewAugment(transforms=[[dict(type='RandomFlip', prob=1., direction='vertical')], []])
    with pytest.raises(ValueError, match=r"cannot apply \{'type': 'Resize'.*belongs in the pair crop"):
        PerViewAugment(transforms=[[dict(type='Resize', scale=(4, 4))], []], on_device=True)
    with pytest.raises(ValueError, match='2 pipelines but got a single image'):
        PerViewAugment(transforms=[[], []])(dict(img=np.zeros((8, 8, 3), np.uint8)))
    with pytest.raises(TypeError, match='one pipeline'):
        PerViewAugment(transforms=[dict(type='RandomFlip', prob=1.)])
