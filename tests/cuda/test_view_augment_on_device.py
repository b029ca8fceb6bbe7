"""The device augmentation's pixels: ``ViewAugmentPreprocessor`` on the device (CUDA) against the CPU pipeline
(the workers' ``PerViewAugment``) for the same drawn parameters on real frames, and the contrast mean's
half-integer rounding on the device.

Tolerance: none; every value equal (max |diff| 0 grey levels, 0 of the values differ), the tolerance the
CPU tests already hold these operations to (tests/views/test_pillow_photometric.py against Pillow and mmcv,
tests/views/test_view_augment_preprocessor.py against the worker path). Derived for the device from the
arithmetic (multisiam_mm/views/pillow_photometric.py): every value is an integer held exactly in float32 or
float64 (the luma's and the blur's fixed-point sums stay below 2^24; the contrast mean is a float64 sum of
integers divided by N), or one of Pillow's C ``float`` / ``double`` expressions evaluated one elementwise
operation at a time, and CUDA rounds each +, -, *, / and sqrt correctly as the CPU does; no reduction order
reaches a value. A differing value is therefore a bug (a fused multiply-add, a mean taken as a product by
1/N), not noise: the test prints the largest difference and the fraction of values that differ, so the
report says how far off it is.
"""
import pytest
import torch

from multisiam_mm.views import ViewAugmentPreprocessor
from multisiam_mm.views import pillow_photometric as ops

from view_batches import BYOL_VIEWS, batch_through

pytestmark = pytest.mark.cuda

SEEDS = range(48)  # enough for every branch: flips, jitter on/off and its orders, grayscale, blur, solarize
SIZE = 224  # the configs' crop


def test_device_augmentation_equals_the_cpu_pipeline_on_real_frames(device):
    views = [BYOL_VIEWS.view_pipeline1, BYOL_VIEWS.view_pipeline2]
    cpu = batch_through(views, on_device=False, seeds=SEEDS, size=SIZE)['inputs']  # [(B, 3, H, W) uint8] * 2
    drawn = batch_through(views, on_device=True, seeds=SEEDS, size=SIZE)  # the same draws, pixels untouched
    got = ViewAugmentPreprocessor().to(device)(drawn)['inputs']  # augmented on the device, not normalized
    assert got[0].device.type == torch.device(device).type
    diff = torch.stack([(g.cpu() - c.float()).abs() for g, c in zip(got, cpu)])  # (2, B, 3, H, W)
    print(f'[cuda-check] view augmentation on {device} vs the CPU pipeline: {diff.shape[0]} x {diff.shape[1]} '
          f'views of {SIZE} px from demo CamVid frames, max |diff| {diff.max().item():.0f} grey levels, '
          f'{(diff > 0).double().mean().item():.2e} of the values differ (tolerance 0 and 0)')
    assert diff.max().item() == 0


def test_contrast_mean_rounds_on_the_device_as_on_the_cpu(device):
    """The device augmentation's contrast (Pillow's arithmetic): a mean of exactly 100.5 at 224 x 224 must
    round up on the device too (CUDA's mean multiplies by 1/N; the op divides the float64 sum by N)."""
    half = torch.cat([torch.full((1, 3, 112, 224), 100.0), torch.full((1, 3, 112, 224), 101.0)], dim=2)
    factor = torch.tensor([0.0])
    assert torch.equal(ops.adjust_contrast(half.to(device), factor.to(device)).cpu(), ops.adjust_contrast(half, factor))
    assert ops.adjust_contrast(half.to(device), factor.to(device)).unique().tolist() == [101.0]
