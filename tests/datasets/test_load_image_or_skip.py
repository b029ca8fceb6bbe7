import os

import cv2
import numpy as np
import pytest
from PIL import Image

from multisiam_mm.datasets import UnlabeledImageList
from multisiam_mm.datasets.image_decoding import decode_bgr
from multisiam_mm.datasets.transforms import LoadImageOrSkip
from multisiam_mm.datasets.transforms import load_image_or_skip as loader_module

from data_test_utils import jpeg_bytes, write_jpeg


def load(path: str):
    return LoadImageOrSkip(skip_bad=False)(dict(img_path=path))


def test_color_jpeg_is_bgr_like_load_image_from_file(tmp_path):
    img = np.zeros((20, 30, 3), np.uint8)
    img[..., 2] = 250  # red in BGR
    write_jpeg(str(tmp_path / 'red.jpg'), img)
    results = load(str(tmp_path / 'red.jpg'))
    assert results['img'].shape == (20, 30, 3) and results['ori_shape'] == (20, 30)
    assert results['img'][10, 15, 2] > 240 and results['img'][10, 15, 0] < 15


def test_grayscale_rgba_palette_and_16bit_pngs_become_3_channel_uint8(tmp_path):
    Image.fromarray(np.full((4, 5), 77, np.uint8), mode='L').save(tmp_path / 'gray.png')
    rgba = np.zeros((4, 5, 4), np.uint8)
    rgba[...] = (10, 20, 30, 0)  # fully transparent: the color is kept, alpha dropped
    Image.fromarray(rgba, mode='RGBA').save(tmp_path / 'rgba.png')
    Image.fromarray(np.full((4, 5, 3), (200, 100, 50), np.uint8)).convert('P').save(tmp_path / 'palette.png')
    cv2.imwrite(str(tmp_path / 'deep.png'), np.full((4, 5), 100 * 256 + 255, np.uint16))  # 16-bit gray

    assert load(str(tmp_path / 'gray.png'))['img'][0, 0].tolist() == [77, 77, 77]
    assert load(str(tmp_path / 'rgba.png'))['img'][0, 0].tolist() == [30, 20, 10]  # BGR
    palette = load(str(tmp_path / 'palette.png'))['img']
    assert palette.shape == (4, 5, 3) and np.abs(palette[0, 0].astype(int) - [50, 100, 200]).max() <= 8
    deep = load(str(tmp_path / 'deep.png'))['img']
    assert deep.dtype == np.uint8 and deep[0, 0].tolist() == [100, 100, 100]  # 16 -> 8 bit: v >> 8


def test_truncated_jpeg_is_refused_but_trailing_bytes_are_fine():
    data = jpeg_bytes(np.random.randint(0, 255, (64, 64, 3), np.uint8))
    with pytest.raises(ValueError, match='truncated JPEG'):
        decode_bgr(data[:len(data) // 2])
    assert decode_bgr(data + b'\x00' * 10).shape == (64, 64, 3)
    with pytest.raises(ValueError, match='empty file'):
        decode_bgr(b'')
    with pytest.raises(ValueError, match='not decodable'):
        decode_bgr(b'this is not an image')


def test_bad_files_are_skipped_with_a_warning_naming_them_and_a_count(tmp_path, monkeypatch):
    messages = []
    monkeypatch.setattr(loader_module, 'print_log', lambda msg, **kwargs: messages.append(msg))
    png = cv2.imencode('.png', np.zeros((32, 32, 3), np.uint8))[1].tobytes()
    (tmp_path / 'cut.png').write_bytes(png[:40])
    (tmp_path / 'empty.jpg').write_bytes(b'')
    loader = LoadImageOrSkip()
    assert loader(dict(img_path=str(tmp_path / 'cut.png'))) is None
    assert loader(dict(img_path=str(tmp_path / 'empty.jpg'))) is None
    assert loader(dict(img_path=str(tmp_path / 'missing.jpg'))) is None
    assert loader.num_skipped == 3
    assert 'cut.png' in messages[0] and 'so far in this worker: 1' in messages[0]
    assert 'missing.jpg' in messages[2] and 'so far in this worker: 3' in messages[2]
    with pytest.raises(ValueError, match='cannot load .*cut.png'):
        LoadImageOrSkip(skip_bad=False)(dict(img_path=str(tmp_path / 'cut.png')))


def test_after_ten_skips_only_a_summary_at_each_power_of_ten_is_logged(tmp_path, monkeypatch):
    """A folder whose files vanished mid-run: 10 warnings naming files, then one line at 100 and 1,000."""
    messages = []
    monkeypatch.setattr(loader_module, 'print_log', lambda msg, **kwargs: messages.append(msg))
    write_jpeg(str(tmp_path / 'good.jpg'), np.zeros((8, 8, 3), np.uint8))
    loader = LoadImageOrSkip()
    assert loader(dict(img_path=str(tmp_path / 'good.jpg'))) is not None  # one image read: no stop
    for i in range(1000):
        assert loader(dict(img_path=str(tmp_path / 'gone' / f'{i}.jpg'))) is None
    assert len(messages) == 12
    assert all('gone' in m and 'so far in this worker' in m for m in messages[:10])
    assert 'summarized at 100, 1,000' in messages[9]
    assert messages[10].startswith('LoadImageOrSkip: 100 files skipped so far in this worker under')
    assert 'No such file or directory x100' in messages[10] and '1 read' in messages[10]
    assert 'No such file or directory x1000' in messages[11]


def test_a_worker_that_reads_no_image_in_100_tries_stops_naming_the_folder_and_why(tmp_path, monkeypatch):
    monkeypatch.setattr(loader_module, 'print_log', lambda msg, **kwargs: None)
    for i in range(60):
        (tmp_path / f'{i}.jpg').write_bytes(b'not a jpeg')
    loader = LoadImageOrSkip()
    for i in range(99):
        path = tmp_path / f'{i}.jpg' if i < 60 else tmp_path / f'missing{i}.jpg'
        assert loader(dict(img_path=str(path))) is None
    with pytest.raises(loader_module.NoReadableImage) as error:
        loader(dict(img_path=str(tmp_path / 'missing.jpg')))
    assert f"100 files tried under '{tmp_path}', none could be read" in str(error.value)
    assert 'not decodable by OpenCV x60' in str(error.value) and 'No such file or directory x40' in str(error.value)


def test_bytes_from_the_dataset_take_precedence_over_the_path():
    img = np.full((6, 7, 3), 50, np.uint8)
    results = LoadImageOrSkip()(dict(img_path='segment.parquet#FRONT@1', img_bytes=jpeg_bytes(img)))
    assert results['img'].shape == (6, 7, 3) and 'img_bytes' not in results


def test_dataset_replaces_a_bad_file_with_another_one(tmp_path, monkeypatch):
    monkeypatch.setattr(loader_module, 'print_log', lambda msg, **kwargs: None)
    write_jpeg(str(tmp_path / 'good.jpg'), np.full((8, 8, 3), 30, np.uint8))
    (tmp_path / 'bad.jpg').write_bytes(b'\xff\xd8garbage')
    dataset = UnlabeledImageList(data_root=str(tmp_path), pipeline=[dict(type='LoadImageOrSkip')])
    names = [os.path.basename(dataset.get_data_info(i)['img_path']) for i in range(len(dataset))]
    assert names == ['bad.jpg', 'good.jpg']
    for _ in range(5):
        assert dataset[0]['img_path'].endswith('good.jpg')  # index 0 is bad: another index is drawn
