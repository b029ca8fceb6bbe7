"""The batched photometric operations against the mmcv / Pillow operations they reproduce.

Each comparison runs the upstream function on one uint8 image and ours on the batch, and asks for equal
pixels (not "within a tolerance"): the batched code reproduces Pillow's integer arithmetic. mmselfsup's
transforms call exactly these functions (ColorJitter: mmcv's ``adjust_*`` with the Pillow backend;
RandomGaussianBlur: Pillow's ``GaussianBlur``; RandomSolarize: ``mmcv.solarize``), so this file needs no
host; test_mmselfsup_host_draws.py runs the mmselfsup classes themselves against the whole augmentation.
"""
import glob
import os

import cv2
import numpy as np
import pytest
import torch
from mmcv.image import photometric
from mmcv.transforms import RandomGrayscale
from PIL import Image, ImageFilter

from multisiam_mm.compat import adjust_hue, hue_shift
from multisiam_mm.views import pillow_photometric as ops

from tool_scripts import REPO

DEMO_CAMVID = REPO / 'demo' / 'camvid'


def batch(*images: np.ndarray) -> torch.Tensor:
    """(H, W, 3) uint8 BGR images -> (N, 3, H, W) float."""
    return torch.stack([torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1) for img in images]).float()


def image(tensor: torch.Tensor) -> np.ndarray:
    """(3, H, W) float -> (H, W, 3) uint8, refusing values that are not uint8 levels."""
    assert torch.equal(tensor, tensor.round()) and tensor.min() >= 0 and tensor.max() <= 255
    return tensor.permute(1, 2, 0).numpy().astype(np.uint8)


@pytest.fixture(scope='module')
def colours() -> np.ndarray:
    """1024 x 1024 random BGR colours plus every colour whose channels are 0, 1, 127, 128, 254 or 255."""
    levels = [0, 1, 127, 128, 254, 255]
    corners = np.array([(b, g, r) for b in levels for g in levels for r in levels], np.uint8)
    pixels = np.random.default_rng(0).integers(0, 256, (1024 * 1024, 3), dtype=np.uint8)
    pixels[:len(corners)] = corners
    return pixels.reshape(1024, 1024, 3)


@pytest.fixture(scope='module')
def frames() -> list:
    """Four 224 x 224 crops of real CamVid frames (the blur depends on neighbours, so real texture)."""
    paths = sorted(glob.glob(os.path.join(DEMO_CAMVID, 'train', '*.jpg')))[:4]
    return [cv2.imread(path)[40:264, 90:314] for path in paths]


def test_hand_derived_values():
    flat = batch(np.array([[[100, 200, 0], [0, 0, 0]]], np.uint8))  # two pixels, BGR
    # brightness: uint8(0.6 x 100) = 60, uint8(0.6 x 200) = 120; x 1.4 clips 280 to 255
    assert ops.adjust_brightness(flat, torch.tensor([0.6]))[0, :, 0, 0].tolist() == [60, 120, 0]
    assert ops.adjust_brightness(flat, torch.tensor([1.4]))[0, :, 0, 0].tolist() == [140, 255, 0]
    # luma of (R 0, G 200, B 100): (38470 x 200 + 7471 x 100 + 32768) >> 16 = 8473868 >> 16 = 129; black 0
    assert ops.luma(flat)[0, 0, 0].tolist() == [129, 0]
    # contrast 0.5 towards the mean int(64.5 + 0.5) = 65: 65 + 0.5 x 35 = 82.5, 65 + 0.5 x 135 = 132.5,
    # 65 - 0.5 x 65 = 32.5, truncated
    assert ops.adjust_contrast(flat, torch.tensor([0.5]))[0, :, 0, 0].tolist() == [82, 132, 32]
    # saturation 0 gives the pixel's luma on all channels
    assert ops.adjust_saturation(flat, torch.tensor([0.]))[0, :, 0, 0].tolist() == [129, 129, 129]
    # solarize at 128: 100 stays, 200 -> 55
    assert ops.solarize(flat, torch.tensor([128.]))[0, :, 0, 0].tolist() == [100, 55, 0]
    # Pillow's box for sigma 2 (3 passes): sigma^2 / 3 = 4/3, box length sqrt(17), r = 1, R = 1.375
    radius, inner, far = ops.box_blur_weights(torch.tensor([2.0]))
    assert (radius.item(), inner.item(), far.item()) == (1, int(2**24 / 3.75), (2**24 - 3 * int(2**24 / 3.75)) // 2)


@pytest.mark.parametrize('name, factors', [('brightness', [0.6, 0.9731, 1.4]), ('contrast', [0.6, 1.2345, 1.4]),
                                           ('saturation', [0.8, 1.0, 1.1234]), ('hue', [-0.1, -0.0123, 0.0, 0.0999])])
def test_colour_jitter_equals_mmcv_pillow_backend_on_a_million_colours(colours, name, factors):
    upstream = {'brightness': photometric.adjust_brightness, 'contrast': photometric.adjust_contrast,
                'saturation': photometric.adjust_color, 'hue': adjust_hue}[name]
    ours = {'brightness': ops.adjust_brightness, 'contrast': ops.adjust_contrast,
            'saturation': ops.adjust_saturation, 'hue': ops.adjust_hue}[name]
    for factor in factors:
        expected = upstream(colours, factor, backend='pillow')
        value = float(hue_shift(factor)) if name == 'hue' else factor  # mmcv adds np.uint8(factor * 255)
        got = image(ours(batch(colours), torch.tensor([value]))[0])
        assert np.array_equal(got, expected), f'{name} {factor}: {np.mean(got != expected):.2e} of values differ'


@pytest.mark.parametrize('sigma', [0.1, 0.4321, 1.0, 1.5, 2.0, 3.3, 12.0])  # 12: a box reach above 7 (float64)
def test_gaussian_blur_equals_pillow_on_real_frames(frames, sigma):
    # mmselfsup's RandomGaussianBlur: Image.fromarray(BGR view).filter(GaussianBlur(radius=sigma))
    got = ops.gaussian_blur(batch(*frames), torch.full((len(frames),), sigma))
    for frame, out in zip(frames, got):
        expected = np.array(Image.fromarray(frame).filter(ImageFilter.GaussianBlur(radius=sigma)))
        assert np.array_equal(image(out), expected)


def test_per_image_parameters_in_one_batch(frames):
    sigmas = torch.tensor([0.1, 2.0, 0.7, 1.3])
    got = ops.gaussian_blur(batch(*frames), sigmas)
    for frame, sigma, out in zip(frames, sigmas.tolist(), got):
        expected = np.array(Image.fromarray(frame).filter(ImageFilter.GaussianBlur(radius=sigma)))
        assert np.array_equal(image(out), expected)
    factors = torch.tensor([0.6, 1.0, 1.4, 0.9])
    got = ops.adjust_contrast(batch(*frames), factors)
    for frame, factor, out in zip(frames, factors.tolist(), got):
        assert np.array_equal(image(out), photometric.adjust_contrast(frame, factor, backend='pillow'))


def test_grayscale_and_solarize_equal_mmcvs_transform_and_function(colours, frames):
    weights = (0.114, 0.587, 0.2989)
    grayscale = RandomGrayscale(prob=1., keep_channels=True, channel_weights=weights)
    normalized = torch.tensor(np.array(weights) / sum(weights))[None]
    for img in (colours, *frames):
        expected = grayscale(dict(img=img.copy()))['img']
        assert np.array_equal(image(ops.grayscale(batch(img), normalized)[0]), expected)
        solarized = photometric.solarize(img.copy(), thr=128)  # what RandomSolarize(threshold=128) applies
        assert np.array_equal(image(ops.solarize(batch(img), torch.tensor([128.]))[0]), solarized)


def test_contrast_rounds_an_exact_half_mean_up_as_pillow_does():
    """224 x 224 grey pixels, half at 100 and half at 101: the mean is exactly 100.5, so Pillow's
    int(mean + 0.5) is 101 (the sum times 1/50176 would give 100.49999999999999 and 100); factor 0 gives
    the mean grey everywhere."""
    half = torch.cat([torch.full((1, 3, 112, 224), 100.0), torch.full((1, 3, 112, 224), 101.0)], dim=2)
    out = ops.adjust_contrast(half, torch.tensor([0.0]))
    assert out.unique().tolist() == [101.0]
