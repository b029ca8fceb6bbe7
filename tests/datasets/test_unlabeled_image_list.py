import os

import numpy as np
import pytest

from multisiam_mm.datasets import UnlabeledImageList

from data_test_utils import DEMO_CAMVID, write_jpeg


def paths(dataset) -> list[str]:
    return [dataset.get_data_info(i)['img_path'] for i in range(len(dataset))]


def test_folder_is_scanned_recursively_sorted_and_filtered(tmp_path):
    img = np.zeros((4, 4, 3), np.uint8)
    for rel in ['b/2.jpg', 'a/1.PNG', 'a/deep/3.jpeg', 'top.jpg']:
        os.makedirs(tmp_path / os.path.dirname(rel), exist_ok=True)
        write_jpeg(str(tmp_path / rel), img)
    (tmp_path / 'a' / 'notes.txt').write_text('not an image')
    dataset = UnlabeledImageList(data_root=str(tmp_path))
    assert [os.path.relpath(p, tmp_path) for p in paths(dataset)] == [
        'top.jpg', 'a/1.PNG', 'a/deep/3.jpeg', 'b/2.jpg']


def test_list_file_with_comments_labels_and_suffix(tmp_path):
    (tmp_path / 'list.txt').write_text('# SODA5M part 0\nsplit_0/x 3\n\nsplit_2/y\n')
    os.makedirs(tmp_path / 'images/split_0')
    write_jpeg(str(tmp_path / 'images/split_0/x.jpg'), np.zeros((4, 4, 3), np.uint8))  # split_2/y is missing
    dataset = UnlabeledImageList(data_root=str(tmp_path), ann_file='list.txt',
                                 data_prefix=dict(img_path='images/'), img_suffix='.jpg')
    assert paths(dataset) == [os.path.join(str(tmp_path), 'images', 'split_0/x.jpg'),
                              os.path.join(str(tmp_path), 'images', 'split_2/y.jpg')]


def test_camvid_stem_list_of_the_demo():
    dataset = UnlabeledImageList(data_root=DEMO_CAMVID, ann_file='train.txt',
                                 data_prefix=dict(img_path='train/'), img_suffix='.jpg')
    scanned = UnlabeledImageList(data_root=DEMO_CAMVID, data_prefix=dict(img_path='train/'))
    assert len(dataset) == 31 and paths(dataset) == paths(scanned)
    assert all(os.path.isfile(p) for p in paths(dataset))


def test_missing_root_empty_folder_and_missing_list_fail_at_start(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"image folder '.*nowhere/?' does not exist; set data_root"):
        UnlabeledImageList(data_root=str(tmp_path / 'nowhere'))
    (tmp_path / 'empty').mkdir()
    (tmp_path / 'empty' / 'readme.md').write_text('no images here')
    with pytest.raises(ValueError, match=r"no image found in folder '.*empty/?'"):
        UnlabeledImageList(data_root=str(tmp_path / 'empty'))
    with pytest.raises(FileNotFoundError, match=r"image list '.*missing.txt' does not exist"):
        UnlabeledImageList(data_root=str(tmp_path), ann_file='missing.txt')
    (tmp_path / 'blank.txt').write_text('\n# only a comment\n')
    with pytest.raises(ValueError, match=r"no image found in list '.*blank.txt'"):
        UnlabeledImageList(data_root=str(tmp_path), ann_file='blank.txt')


def test_a_list_whose_paths_were_built_wrongly_fails_showing_how(tmp_path):
    """The README's habit gone wrong: a list relative to data_root, with the CamVid configs' train/ prefix."""
    (tmp_path / 'frames').mkdir()
    write_jpeg(str(tmp_path / 'frames/a.jpg'), np.zeros((4, 4, 3), np.uint8))
    (tmp_path / 'list.txt').write_text('frames/a.jpg\n')
    with pytest.raises(FileNotFoundError) as error:
        UnlabeledImageList(data_root=str(tmp_path), ann_file='list.txt', data_prefix=dict(img_path='train/'))
    message = str(error.value)
    assert "none of the first 1 images of the list" in message
    assert f"{tmp_path}/train/frames/a.jpg" in message and "list entry 'frames/a.jpg'" in message
    assert "set data_root / data_prefix.img_path to the folder the list's paths are relative to" in message
    ok = UnlabeledImageList(data_root=str(tmp_path), ann_file='list.txt', data_prefix=dict(img_path=''))
    assert paths(ok) == [os.path.join(str(tmp_path), 'frames/a.jpg')]


def test_a_missing_folder_names_the_path_and_never_scans_the_parent(tmp_path):
    """A Cityscapes tree extracted one level deeper than the config expects: the parent holds label maps
    and evaluation frames, which a scan of data_root would have fed to pre-training."""
    img = np.zeros((4, 4, 3), np.uint8)
    for rel in ['leftImg8bit_trainvaltest/leftImg8bit/train/aachen/a_leftImg8bit.png',
                'leftImg8bit_trainvaltest/leftImg8bit/val/frankfurt/b_leftImg8bit.png',
                'gtFine/train/aachen/a_gtFine_labelIds.png']:
        os.makedirs(tmp_path / os.path.dirname(rel), exist_ok=True)
        write_jpeg(str(tmp_path / rel), img)
    with pytest.raises(FileNotFoundError) as error:
        UnlabeledImageList(data_root=str(tmp_path), data_prefix=dict(img_path='leftImg8bit/train/'))
    assert f"image folder {os.path.join(str(tmp_path), 'leftImg8bit/train/')!r} does not exist" in str(error.value)
    assert 'set data_root / data_prefix.img_path to the folder of frames' in str(error.value)
    flat = UnlabeledImageList(data_root=str(tmp_path / 'leftImg8bit_trainvaltest/leftImg8bit/train/aachen'),
                              data_prefix=dict(img_path=''))  # a flat folder: img_path=''
    assert [os.path.basename(p) for p in paths(flat)] == ['a_leftImg8bit.png']


def camvid_like_root(root) -> None:
    """CamVid's layout (../shared/data/camvid/README.md): train/, val/ and their *annot/ label maps."""
    img = np.zeros((4, 4, 3), np.uint8)
    for rel in ['train/a.jpg', 'train/b.jpg', 'val/c.jpg', 'trainannot/a.png', 'trainannot/b.png', 'valannot/c.png']:
        os.makedirs(root / os.path.dirname(rel), exist_ok=True)
        write_jpeg(str(root / rel), img)


def test_a_scan_of_a_dataset_root_leaves_out_labels_and_evaluation_splits_and_says_so(tmp_path, monkeypatch):
    logged = []
    monkeypatch.setattr('multisiam_mm.datasets.unlabeled_image_list.print_log',
                        lambda message, **kwargs: logged.append(message))
    camvid_like_root(tmp_path)
    dataset = UnlabeledImageList(data_root=str(tmp_path))
    assert [os.path.relpath(p, tmp_path) for p in paths(dataset)] == ['train/a.jpg', 'train/b.jpg']
    assert [line.split(': ', 1)[1] for line in logged] == [
        'left out 1 files: evaluation split val (keep them with include_eval_splits=True)',
        'left out 2 files: label files trainannot (keep them with include_labels=True)',
        'left out 1 files: label files valannot (keep them with include_labels=True)']


def test_asked_for_the_scan_keeps_them_and_a_list_is_taken_as_it_is(tmp_path):
    camvid_like_root(tmp_path)
    assert len(UnlabeledImageList(data_root=str(tmp_path), include_eval_splits=True)) == 3
    assert len(UnlabeledImageList(data_root=str(tmp_path), include_eval_splits=True, include_labels=True)) == 6
    (tmp_path / 'list.txt').write_text('val/c.jpg\ntrainannot/a.png\n')
    assert len(UnlabeledImageList(data_root=str(tmp_path), ann_file='list.txt')) == 2


def test_a_scan_that_leaves_nothing_says_how_much_it_left_out(tmp_path):
    camvid_like_root(tmp_path)
    for frame in ('a', 'b'):
        os.remove(tmp_path / 'train' / f'{frame}.jpg')
    with pytest.raises(ValueError, match='once 4 label / evaluation files were left out'):
        UnlabeledImageList(data_root=str(tmp_path))
    # a folder named explicitly is what was asked for: its own name does not count
    assert len(UnlabeledImageList(data_root=str(tmp_path), data_prefix=dict(img_path='trainannot'))) == 2
