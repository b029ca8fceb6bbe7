import math

import pytest
import torch

from multisiam_mm.models.heads import ClusterContrastHead

LOSS = dict(type='PixelInfoNCELoss', temperature=0.2)
CLUSTERS = dict(type='ClusterTargets', num_clusters=2)


def as_map(vectors):
    """(N, C) pixel vectors -> a (1, C, 1, N) map with N pixels in one row."""
    return torch.tensor(vectors, dtype=torch.float32).t()[None, :, None, :]


def test_positive_is_the_pixels_cluster_centroid():
    # G': pixels 0 and 1 (45 deg apart) form one cluster, pixel 2 the other; queries equal G'
    target = as_map([[1, 0, 0], [1, 1, 0], [0, 0, 1]])
    negatives = torch.tensor([[0, -1.0, 0]])
    head = ClusterContrastHead(LOSS, clustering=CLUSTERS)
    # centroid of pixels 0 and 1 bisects them: 22.5 deg from both
    centroid = torch.tensor([math.cos(math.pi / 8), math.sin(math.pi / 8), 0])
    positives = torch.stack([centroid, centroid, torch.tensor([0, 0, 1.])], dim=1)[None]  # (1, 3, 3)
    assert torch.allclose(head.positives(target), positives, atol=1e-6)

    # by hand, -log Eq. (21) = log(1 + exp((cos(Q, k-) - cos(Q, k+)) / 0.2)) per pixel
    cos_pos = [math.cos(math.pi / 8), math.cos(math.pi / 8), 1.0]
    cos_neg = [0.0, -1 / math.sqrt(2), 0.0]
    expected = sum(math.log1p(math.exp((n - p) / 0.2)) for p, n in zip(cos_pos, cos_neg)) / 3
    loss = head(target, target, negatives, torch.tensor([True]))
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_without_clustering_each_pixel_is_its_own_positive():
    target = as_map([[1, 0, 0], [1, 1, 0], [0, 0, 1]])
    head = ClusterContrastHead(LOSS, clustering=None)
    assert torch.equal(head.positives(target), target.flatten(2))
    # query = target: every pixel's positive logit is 5
    loss = head(target, target, torch.tensor([[0, -1.0, 0]]), torch.tensor([True]))
    negative_cos = torch.tensor([0, -1 / math.sqrt(2), 0])  # cos(pixel, -e2) per pixel
    expected = torch.log1p(torch.exp((negative_cos - 1) / 0.2)).mean()
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)


def test_no_gradient_reaches_the_target():
    target = torch.randn(2, 4, 3, 3, requires_grad=True)
    query = torch.randn(2, 4, 3, 3, requires_grad=True)
    ClusterContrastHead(LOSS, clustering=CLUSTERS)(query, target, torch.randn(6, 4),
                                                   torch.tensor([True, True])).backward()
    assert query.grad is not None and target.grad is None
