"""Eq. (10): L = 1/HW sum_ij -cos(Q_ij, Kmeans(R'_ij)), with values computed by hand."""
import math

import torch

from multisiam_mm.models.losses import ClusterConsistencyLoss


def test_eq10_by_hand_on_two_pixels():
    # one image, C = 2, HW = 2 pixels. Pixel 1: Q = (3, 4), target centroid (1, 0): cos = 3/5.
    # Pixel 2: Q = (0, 2), target (0, 1): cos = 1. L = -(0.6 + 1) / 2 = -0.8
    pred = torch.tensor([[[3., 0.], [4., 2.]]])  # (B=1, C=2, N=2)
    target = torch.tensor([[[1., 0.], [0., 1.]]])
    loss = ClusterConsistencyLoss()(pred, target, torch.tensor([True]))
    assert math.isclose(loss.item(), -0.8, abs_tol=1e-6)


def test_opposite_prediction_and_the_mean_over_valid_images_only():
    # image 1: Q opposite to its target at both pixels: -cos = 1 each, loss 1.
    # image 2: Q at 45 degrees to the target: -cos(45) = -1/sqrt(2). Mean over the two: (1 - 0.7071) / 2.
    pred = torch.tensor([[[-2., -1.], [0., 0.]], [[1., 1.], [1., 1.]]])  # (2, 2, 2)
    target = torch.tensor([[[1., 1.], [0., 0.]], [[1., 1.], [0., 0.]]])
    loss = ClusterConsistencyLoss()
    both = loss(pred, target, torch.tensor([True, True]))
    assert math.isclose(both.item(), (1 - 1 / math.sqrt(2)) / 2, abs_tol=1e-6)
    # an invalid pair (crops that do not overlap) is left out of the mean, not counted as zero
    assert math.isclose(loss(pred, target, torch.tensor([False, True])).item(), -1 / math.sqrt(2), abs_tol=1e-6)
    assert loss(pred, target, torch.tensor([False, False])).item() == 0
