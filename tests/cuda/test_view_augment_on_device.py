"""The device augmentation on the device (CUDA): the contrast mean's half-integer rounding as on the CPU."""
import pytest
import torch

from multisiam_mm.views import pillow_photometric as ops

pytestmark = pytest.mark.cuda


def test_contrast_mean_rounds_on_the_device_as_on_the_cpu(device):
    """The device augmentation's contrast (Pillow's arithmetic): a mean of exactly 100.5 at 224 x 224 must
    round up on the device too (CUDA's mean multiplies by 1/N; the op divides the float64 sum by N)."""
    half = torch.cat([torch.full((1, 3, 112, 224), 100.0), torch.full((1, 3, 112, 224), 101.0)], dim=2)
    factor = torch.tensor([0.0])
    assert torch.equal(ops.adjust_contrast(half.to(device), factor.to(device)).cpu(), ops.adjust_contrast(half, factor))
    assert ops.adjust_contrast(half.to(device), factor.to(device)).unique().tolist() == [101.0]
