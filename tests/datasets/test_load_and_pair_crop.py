import glob
import io
import math
import os

import cv2
import numpy as np
import pytest
from mmcv.transforms import Compose
from PIL import Image

from multisiam_mm.datasets.image_decoding import decode_bgr, jpeg_decode_scale
from multisiam_mm.datasets.transforms import IoUConstrainedPairCrop, LoadAndPairCrop, LoadImageOrSkip
from multisiam_mm.datasets.transforms import load_image_or_skip as loader_module

from data_test_utils import DEMO_CAMVID, jpeg_bytes, write_jpeg

DEMO_FRAMES = sorted(glob.glob(os.path.join(DEMO_CAMVID, 'train', '*.jpg')))


def seeded(transform, results: dict, seed: int) -> dict:
    np.random.seed(seed)
    return transform(dict(results))


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b) ** 2)
    return math.inf if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def gradient_frame(height: int = 1280, width: int = 1920) -> np.ndarray:
    """(H, W, 3) BGR frame whose blue channel ramps with x and green with y: pixels tell where they are."""
    ys, xs = np.mgrid[0:height, 0:width]
    return np.stack([(xs + 0.5) * 255 / width, (ys + 0.5) * 255 / height, np.full(xs.shape, 128.)],
                    axis=-1).round().astype(np.uint8)


def test_full_decode_is_exactly_load_image_or_skip_then_pair_crop():
    two_steps = Compose([LoadImageOrSkip(), IoUConstrainedPairCrop(size=96)])
    one_step = LoadAndPairCrop(size=96, decode='full')
    for seed, path in enumerate(DEMO_FRAMES[:4]):
        expected, got = seeded(two_steps, dict(img_path=path), seed), seeded(one_step, dict(img_path=path), seed)
        assert np.array_equal(expected['crop_boxes'], got['crop_boxes'])
        assert all(np.array_equal(a, b) for a, b in zip(expected['img'], got['img']))
        assert got['ori_shape'] == expected['ori_shape'] == (360, 480) and got['img_shape'] == (96, 96)
        assert got['decode_scale'] == 1


def test_pillow_decodes_jpegs_bit_for_bit_like_opencv():
    # the reduced path decodes with Pillow, the exact one with OpenCV: at scale 1 they must agree
    content = open(DEMO_FRAMES[0], 'rb').read()
    pillow_rgb = np.asarray(Image.open(io.BytesIO(content)).convert('RGB'))
    assert np.array_equal(pillow_rgb[..., ::-1], decode_bgr(content))
    gray = jpeg_bytes(cv2.cvtColor(decode_bgr(content), cv2.COLOR_BGR2GRAY))  # a 1-channel JPEG
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(gray)).convert('RGB')), decode_bgr(gray))


def test_decode_scale_is_the_coarsest_that_keeps_the_output_resolution():
    # a 1000x900 crop to 224: 900 / 224 = 4.02 per axis at best, so 1/4; with oversample 1.5: 2.7 -> 1/2
    boxes = np.array([[0., 0., 1000., 900.], [100., 100., 1900., 1100.]])
    assert jpeg_decode_scale(boxes, (224, 224)) == 4
    assert jpeg_decode_scale(boxes, (224, 224), oversample=1.5) == 2
    assert jpeg_decode_scale(boxes[1:], (224, 224)) == 4  # 1000 / 224 = 4.5
    assert jpeg_decode_scale(np.array([[0., 0., 1900., 1800.]]), (224, 224)) == 8
    assert jpeg_decode_scale(np.array([[0., 0., 440., 1000.]]), (224, 224)) == 1  # 440 / 224 < 2
    assert jpeg_decode_scale(np.array([[0., 0., 448., 448.]]), (224, 224)) == 2  # exactly 2x
    assert jpeg_decode_scale(np.array([[0., 0., 448., 448.]]), (112, 224)) == 2  # (h, w): 448 / 224


def test_camvid_crops_are_never_reduced_and_equal_the_exact_mode():
    # 480x360 frames: a crop is at most 360 px high, below 2 x 224, so nothing is reduced
    for seed, path in enumerate(DEMO_FRAMES[:4]):
        exact = seeded(LoadAndPairCrop(decode='full'), dict(img_path=path), seed)
        fast = seeded(LoadAndPairCrop(), dict(img_path=path), seed)
        assert fast['decode_scale'] == 1
        assert all(np.array_equal(a, b) for a, b in zip(exact['img'], fast['img']))


def test_reduced_views_show_the_recorded_boxes_in_original_pixels(tmp_path):
    path = str(tmp_path / 'gradient.jpg')
    write_jpeg(path, gradient_frame(), quality=98)
    crop = LoadAndPairCrop(size=64)
    scales = set()
    for seed in range(12):
        results = seeded(crop, dict(img_path=path), seed)
        scales.add(results['decode_scale'])
        assert results['ori_shape'] == (1280, 1920) and results['crop_boxes'].dtype == np.float32
        for view, (x1, y1, x2, y2) in zip(results['img'], results['crop_boxes']):
            assert view.shape == (64, 64, 3) and view.dtype == np.uint8 and view.flags.c_contiguous
            centers = (np.arange(64) + 0.5) / 64  # view pixel centers as fractions of the crop
            expected_x = (x1 + centers * (x2 - x1)) * 255 / 1920
            expected_y = (y1 + centers * (y2 - y1)) * 255 / 1280
            assert np.abs(view[32, 2:-2, 0] - expected_x[2:-2]).max() < 2.0  # blue: x
            assert np.abs(view[2:-2, 32, 1] - expected_y[2:-2]).max() < 2.0  # green: y
    assert scales & {2, 4, 8}  # the reduced decode was exercised


def test_large_frames_are_decoded_reduced_and_stay_close_to_the_exact_views(tmp_path):
    frame = cv2.resize(cv2.imread(DEMO_FRAMES[0]), (1920, 1280), interpolation=cv2.INTER_CUBIC)
    path = str(tmp_path / 'large.jpg')
    write_jpeg(path, frame)
    exact, fast = LoadAndPairCrop(decode='full'), LoadAndPairCrop()
    scales = []
    for seed in range(6):
        expected, got = seeded(exact, dict(img_path=path), seed), seeded(fast, dict(img_path=path), seed)
        assert np.array_equal(expected['crop_boxes'], got['crop_boxes'])
        assert all(psnr(a, b) > 40 for a, b in zip(expected['img'], got['img']))
        scales.append(got['decode_scale'])
    assert min(scales) >= 2  # IoU > 0.5 crops of a 1920x1280 frame span well over 2 x 224 px


def test_gray_cmyk_and_rotated_jpegs(tmp_path):
    frame = cv2.resize(cv2.imread(DEMO_FRAMES[1]), (1200, 900))
    gray = Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    gray.save(tmp_path / 'gray.jpg', quality=95)
    Image.fromarray(frame[..., ::-1]).convert('CMYK').save(tmp_path / 'cmyk.jpg', quality=95)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    Image.fromarray(frame[..., ::-1]).save(tmp_path / 'rotated.jpg', quality=95, exif=exif)
    for name in ('gray.jpg', 'cmyk.jpg', 'rotated.jpg'):
        path = str(tmp_path / name)
        expected = seeded(LoadAndPairCrop(size=64, decode='full'), dict(img_path=path), 3)
        got = seeded(LoadAndPairCrop(size=64), dict(img_path=path), 3)
        assert got['ori_shape'] == expected['ori_shape'] == decode_bgr(open(path, 'rb').read()).shape[:2]
        assert np.array_equal(expected['crop_boxes'], got['crop_boxes'])
        if name == 'gray.jpg':  # reduced, three equal channels
            assert got['decode_scale'] > 1 and all(psnr(a, b) > 35 for a, b in zip(expected['img'], got['img']))
            assert all(np.array_equal(v[..., 0], v[..., 2]) for v in got['img'])
        else:  # OpenCV's decode (CMYK conversion, EXIF rotation), identical to the exact mode
            assert got['decode_scale'] == 1
            assert all(np.array_equal(a, b) for a, b in zip(expected['img'], got['img']))
    assert seeded(LoadAndPairCrop(size=64), dict(img_path=str(tmp_path / 'rotated.jpg')), 0)['ori_shape'] == (1200, 900)


def test_pngs_and_dataset_bytes_are_loaded(tmp_path):
    frame = cv2.imread(DEMO_FRAMES[2])
    cv2.imwrite(str(tmp_path / 'frame.png'), frame)
    results = LoadAndPairCrop(size=32)(dict(img_path=str(tmp_path / 'frame.png')))
    assert [v.shape for v in results['img']] == [(32, 32, 3)] * 2 and results['ori_shape'] == (360, 480)
    results = LoadAndPairCrop(size=32)(dict(img_path='segment.parquet#FRONT@1', img_bytes=jpeg_bytes(frame)))
    assert results['ori_shape'] == (360, 480) and 'img_bytes' not in results


def test_bad_files_are_skipped_with_the_loader_warning_and_count(tmp_path, monkeypatch):
    messages = []
    monkeypatch.setattr(loader_module, 'print_log', lambda msg, **kwargs: messages.append(msg))
    data = jpeg_bytes(np.random.randint(0, 255, (64, 64, 3), np.uint8))
    (tmp_path / 'cut.jpg').write_bytes(data[:len(data) // 2])
    (tmp_path / 'empty.jpg').write_bytes(b'')
    (tmp_path / 'garbage.jpg').write_bytes(b'\xff\xd8garbage')
    crop = LoadAndPairCrop(size=32)
    for name in ('cut.jpg', 'empty.jpg', 'garbage.jpg', 'missing.jpg'):
        assert crop(dict(img_path=str(tmp_path / name))) is None
    assert crop.loader.num_skipped == 4
    assert 'cut.jpg' in messages[0] and 'truncated JPEG' in messages[0] and 'so far in this worker: 1' in messages[0]
    assert 'missing.jpg' in messages[3] and 'so far in this worker: 4' in messages[3]
    with pytest.raises(ValueError, match='cannot load .*garbage.jpg'):
        LoadAndPairCrop(skip_bad=False)(dict(img_path=str(tmp_path / 'garbage.jpg')))


def test_bad_arguments_name_the_value():
    with pytest.raises(ValueError, match="decode must be one of .*got 'draft'"):
        LoadAndPairCrop(decode='draft')
    with pytest.raises(ValueError, match="decode='reduced' resamples with Pillow; got backend='cv2'"):
        LoadAndPairCrop(backend='cv2')
    with pytest.raises(ValueError, match='oversample must be >= 1 .*got 0.5'):
        LoadAndPairCrop(oversample=0.5)
    LoadAndPairCrop(backend='cv2', interpolation='area', decode='full')  # the exact mode takes cv2
