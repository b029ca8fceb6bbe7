"""Each sample's bytes are read once and decoded once, by both loading transforms."""
import os
from collections import Counter

import cv2
import numpy as np
import pytest
from mmengine.fileio import LocalBackend, register_backend

from multisiam_mm.datasets import image_decoding
from multisiam_mm.datasets.transforms import LoadAndPairCrop, LoadImageOrSkip
from multisiam_mm.datasets.transforms import load_image_or_skip as loader_module

from data_test_utils import jpeg_bytes, write_jpeg


class CountingBackend(LocalBackend):
    """mmengine's local file backend, recording the name of every file it reads."""

    reads: list = []

    def get(self, filepath) -> bytes:
        CountingBackend.reads.append(os.path.basename(filepath))
        return super().get(filepath)


register_backend('counting_local', CountingBackend, force=True)
COUNTING = dict(backend='counting_local')


@pytest.fixture
def calls(monkeypatch) -> Counter:
    """Calls of the completeness check, OpenCV's full decode and Pillow's reduced-scale decode."""
    counter = Counter()
    for name in ('check_complete', 'imdecode_bgr', 'reduced_jpeg_crops'):
        def counted(*args, _original=getattr(image_decoding, name), _name=name, **kwargs):
            counter[_name] += 1
            return _original(*args, **kwargs)
        monkeypatch.setattr(image_decoding, name, counted)
    monkeypatch.setattr(loader_module, 'print_log', lambda msg, **kwargs: None)
    CountingBackend.reads = []
    return counter


def samples(folder) -> list[dict]:
    """A 1920x1280 JPEG (decoded at 1/s), a PNG (OpenCV), a truncated JPEG (refused) and a dataset's bytes."""
    smooth = cv2.resize(np.random.randint(0, 255, (40, 60, 3), np.uint8), (1920, 1280))  # (1280, 1920, 3)
    write_jpeg(str(folder / 'large.jpg'), smooth)
    cv2.imwrite(str(folder / 'frame.png'), np.full((48, 64, 3), 90, np.uint8))
    data = jpeg_bytes(np.random.randint(0, 255, (64, 64, 3), np.uint8))
    (folder / 'cut.jpg').write_bytes(data[:len(data) // 2])
    return [dict(img_path=str(folder / 'large.jpg')), dict(img_path=str(folder / 'frame.png')),
            dict(img_path=str(folder / 'cut.jpg')), dict(img_path='segment.parquet#FRONT@1', img_bytes=data)]


def test_each_sample_is_read_once_and_checked_and_decoded_once(tmp_path, calls):
    files = ['large.jpg', 'frame.png', 'cut.jpg']  # the dataset's bytes are not read at all
    # reduced: the two complete JPEGs by Pillow (large at 1/s, the 64x64 one at 1/1), the PNG by OpenCV
    crop = LoadAndPairCrop(size=64, backend_args=COUNTING)
    got = [crop(sample) for sample in samples(tmp_path)]
    assert [r is None for r in got] == [False, False, True, False] and got[0]['decode_scale'] > 1
    assert CountingBackend.reads == files
    assert calls == dict(check_complete=4, imdecode_bgr=1, reduced_jpeg_crops=2)
    # full: every complete file by OpenCV
    calls.clear()
    CountingBackend.reads.clear()
    crop = LoadAndPairCrop(size=64, decode='full', backend_args=COUNTING)
    assert [crop(sample) is None for sample in samples(tmp_path)] == [False, False, True, False]
    assert CountingBackend.reads == files
    assert calls == dict(check_complete=4, imdecode_bgr=3)
    calls.clear()
    CountingBackend.reads.clear()
    loader = LoadImageOrSkip(backend_args=COUNTING)
    assert [loader(sample) is None for sample in samples(tmp_path)] == [False, False, True, False]
    assert CountingBackend.reads == files
    assert calls == dict(check_complete=4, imdecode_bgr=3)


def test_a_jpeg_pillow_refuses_is_decoded_by_opencv_from_the_same_bytes(tmp_path, calls, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError('broken data stream when reading image file')
    sample = samples(tmp_path)[0]
    np.random.seed(5)
    expected = LoadAndPairCrop(size=64, decode='full')(dict(sample))
    monkeypatch.setattr(image_decoding, 'reduced_jpeg_crops', refuse)
    calls.clear()
    CountingBackend.reads.clear()
    np.random.seed(5)
    got = LoadAndPairCrop(size=64, backend_args=COUNTING)(dict(sample))
    assert CountingBackend.reads == ['large.jpg'] and calls == dict(check_complete=1, imdecode_bgr=1)
    assert got['decode_scale'] == 1 and np.array_equal(got['crop_boxes'], expected['crop_boxes'])
    assert all(np.array_equal(a, b) for a, b in zip(got['img'], expected['img']))
