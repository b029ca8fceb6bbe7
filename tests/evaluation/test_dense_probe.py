"""The deterministic dense probe: upsampling, metric, convergence on a separable problem, determinism."""
import math
import shutil
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from multisiam_mm.evaluation.camvid_frames import frame_files, split_files
from multisiam_mm.evaluation.dense_probe import probe_checkpoint
from multisiam_mm.evaluation.frozen_trunk import resnet_trunk
from multisiam_mm.evaluation.linear_probe import LinearProbe, upsampling_matrices
from multisiam_mm.evaluation.segmentation_metrics import confusion_matrix, iou_per_class

DEMO = Path(__file__).resolve().parents[2] / 'demo/camvid'


def test_upsampling_matrices_give_f_interpolate_at_any_pixel_grid():
    torch.manual_seed(0)
    maps = torch.randn(2, 3, 12, 15)
    full = F.interpolate(maps, size=(360, 480), mode='bilinear', align_corners=False)
    ry, rx = upsampling_matrices((12, 15), (360, 480))
    assert ry.shape == (12, 360) and rx.shape == (15, 480)
    torch.testing.assert_close(ry.t() @ (maps @ rx), full, atol=1e-5, rtol=0)
    torch.testing.assert_close(ry[:, 4::8].t() @ (maps @ rx[:, 4::8]), full[..., 4::8, 4::8], atol=1e-5, rtol=0)


def test_upsampling_by_two_uses_weights_three_quarters_and_one_quarter():
    ry, _ = upsampling_matrices((2, 1), (4, 1))
    # output rows sample input rows at (i + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (-> 1)
    torch.testing.assert_close(ry, torch.tensor([[1., .75, .25, 0.], [0., .25, .75, 1.]]))


def test_confusion_and_iou_by_hand():
    label = torch.tensor([0, 0, 1, 1, 2, 9])  # 9: ignored
    pred = torch.tensor([0, 1, 1, 1, 0, 2])
    confusion = confusion_matrix(pred, label, num_classes=4, ignore=9)
    assert confusion[0].tolist() == [1, 1, 0, 0] and confusion[1].tolist() == [0, 2, 0, 0]
    assert confusion[2].tolist() == [1, 0, 0, 0] and confusion.sum() == 5
    iou = iou_per_class(confusion)
    # class 0: TP 1, FP 1 (a 2 called 0), FN 1 -> 1/3; class 1: TP 2, FP 1 -> 2/3; class 2: 0/1; class 3 absent
    assert iou[:3].tolist() == pytest.approx([1 / 3, 2 / 3, 0.0])
    assert math.isnan(iou[3])


def separable_problem(frames: int, seed: int):
    """Features whose first 3 channels are the class scores: labels are the argmax of their upsampling."""
    generator = torch.Generator().manual_seed(seed)
    features = torch.randn(frames, 8, 6, 8, generator=generator)
    scores = F.interpolate(features[:, :3] * 4, size=(48, 64), mode='bilinear', align_corners=False)
    labels = scores.argmax(1)
    labels[:, :4, :4] = 5  # a void corner
    return features, labels


def test_probe_recovers_a_linearly_separable_labelling():
    features, labels = separable_problem(frames=12, seed=0)
    probe = LinearProbe(num_classes=3, ignore=5, weight_decay=1e-6, stride=2).fit(features, labels)
    val_features, val_labels = separable_problem(frames=4, seed=1)
    iou = iou_per_class(probe.confusion(val_features, val_labels))
    assert iou.min() > 0.97, iou
    assert probe.log['lbfgs_steps'] > 0 and probe.log['train_loss'] < 0.1


def test_a_constant_channel_does_not_break_the_whitening():
    features, labels = separable_problem(frames=6, seed=0)
    features[:, 5] = 7.0  # zero variance: the whitening keeps it bounded by eps
    probe = LinearProbe(num_classes=3, ignore=5, stride=2).fit(features, labels)
    assert torch.isfinite(probe.weight).all() and probe.log['train_loss'] < 0.3


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


def test_a_backbone_file_loads_every_tensor_into_the_trunk(tmp_path):
    trunk = resnet_trunk(None, depth=18, seed=1)
    state = {key: value for key, value in
             zip(resnet_trunk_keys(), trunk.state_dict().values())}
    torch.save(dict(state_dict={f'backbone.{k}': v for k, v in state.items()}), tmp_path / 'ckpt.pth')
    from multisiam_mm.checkpoints import load_backbone_state_dict
    loaded = resnet_trunk(load_backbone_state_dict(str(tmp_path / 'ckpt.pth')))
    for mine, theirs in zip(loaded.state_dict().values(), trunk.state_dict().values()):
        torch.testing.assert_close(mine, theirs, atol=0, rtol=0)
    assert not torch.equal(resnet_trunk(None, 18, seed=2)[0].weight, trunk[0].weight)  # seeds differ


def resnet_trunk_keys():
    """torchvision ResNet-18's key names without ``fc``, in the trunk's order."""
    import torchvision
    return [key for key in torchvision.models.resnet18(weights=None).state_dict() if not key.startswith('fc.')]


def test_a_missing_split_names_the_files_it_needs(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"val.txt does not exist: data_root must hold CamVid's val.txt"):
        split_files(tmp_path, 'val')
    shutil.copytree(DEMO / 'val', tmp_path / 'val')
    (tmp_path / 'val.txt').write_text((DEMO / 'val.txt').read_text())
    with pytest.raises(FileNotFoundError, match=r'9 files listed in .*val.txt are missing'):
        split_files(tmp_path, 'val')  # no valannot/


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
