"""The dense probe's classifier: exact upsampling on any pixel grid, convergence on a separable problem."""
import torch
import torch.nn.functional as F

from multisiam_mm.evaluation.linear_probe import LinearProbe, upsampling_matrices
from multisiam_mm.evaluation.segmentation_metrics import iou_per_class


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
