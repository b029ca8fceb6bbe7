"""The deterministic dense probe end to end: the same backbone gives the same mIoU, from cached features,
on any frame list."""
import pytest

from multisiam_mm.evaluation.camvid_frames import frame_files, split_files
from multisiam_mm.evaluation.dense_probe import probe_checkpoint


def test_same_backbone_twice_gives_the_same_miou_and_the_cache_is_reused(tiny_camvid, tmp_path, monkeypatch):
    first = probe_checkpoint('random', str(tiny_camvid), cache_dir=str(tmp_path / 'cache'), seed=3)
    assert len(list((tmp_path / 'cache').glob('features_*.pt'))) == 2  # train and val
    import multisiam_mm.evaluation.feature_cache as module

    def must_not_extract(*args, **kwargs):
        raise AssertionError('features were computed again instead of read from the cache')
    monkeypatch.setattr(module, 'extract_features', must_not_extract)
    second = probe_checkpoint('random', str(tiny_camvid), cache_dir=str(tmp_path / 'cache'), seed=3)
    assert second['mIoU'] == first['mIoU'] and second['IoU'] == first['IoU']
    assert 0 < first['mIoU'] <= 100 and set(first['IoU']) >= {'sky', 'road', 'bicyclist'}


def test_any_frame_list_is_measured_without_a_code_change(tiny_camvid, tmp_path):
    stems = (tiny_camvid / 'train.txt').read_text().split()
    listing = tmp_path / 'mixed.txt'
    listing.write_text(f'train/{stems[0]}.jpg\nval/{(tiny_camvid / "val.txt").read_text().split()[0]}\n')
    pairs = frame_files(tiny_camvid, str(listing))
    assert [image.parent.name for image, _ in pairs] == ['train', 'val']
    assert [label.parent.name for _, label in pairs] == ['trainannot', 'valannot']
    assert frame_files(tiny_camvid, 'val') == split_files(tiny_camvid, 'val')
    result = probe_checkpoint('random', str(tiny_camvid), train_frames=str(listing), eval_frames='val')
    assert 0 < result['mIoU'] <= 100
    listing.write_text('0001TP_006690\n')
    with pytest.raises(ValueError, match=r'lines must be split/stem \(e.g. train/0001TP_006690\)'):
        frame_files(tiny_camvid, str(listing))
    with pytest.raises(FileNotFoundError, match='frame list .*nowhere.txt does not exist'):
        frame_files(tiny_camvid, str(tmp_path / 'nowhere.txt'))
