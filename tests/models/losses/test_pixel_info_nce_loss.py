import math

import pytest
import torch

from multisiam_mm.models.losses import PixelInfoNCELoss


def pixels(*vectors):
    """Pixel vectors -> ``(1, C, N)``, one image with N pixels."""
    return torch.tensor(vectors, dtype=torch.float32).t()[None]


E1, E2, E3 = [1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]


def test_query_on_its_positive_with_orthogonal_negatives():
    # logits at tau = 0.2: positive 1 / 0.2 = 5, negatives 0 / 0.2 = 0
    loss = PixelInfoNCELoss(temperature=0.2)(pixels(E1), pixels(E1), torch.tensor([E2, E3]))
    assert loss.item() == pytest.approx(-math.log(math.exp(5) / (math.exp(5) + 2 * math.exp(0))), rel=1e-6)


def test_averaged_over_pixels_and_valid_images_only():
    # pixel 0: positive e1 (logit 5), negatives e2, e3 (0, 0)
    # pixel 1: query e2, positive e1 (0), negatives e2, e3 (5, 0)
    query = pixels(E1, [0, 1.0, 0]) * torch.tensor([1.0, 3.0])  # scale does not matter: cosines
    positive = pixels(E1, E1)
    negatives = torch.tensor([E2, E3])
    pixel0 = -math.log(math.exp(5) / (math.exp(5) + 2))
    pixel1 = -math.log(1 / (1 + math.exp(5) + 1))
    loss = PixelInfoNCELoss()(query, positive, negatives)
    assert loss.item() == pytest.approx((pixel0 + pixel1) / 2, rel=1e-6)

    batch = torch.cat([query, pixels(E3, E3)])  # a second image, left out by valid
    loss = PixelInfoNCELoss()(batch, torch.cat([positive, positive]), negatives, torch.tensor([True, False]))
    assert loss.item() == pytest.approx((pixel0 + pixel1) / 2, rel=1e-6)
    none_valid = PixelInfoNCELoss()(batch, torch.cat([positive, positive]), negatives,
                                    torch.tensor([False, False]))
    assert none_valid.item() == 0


def test_equals_cross_entropy_with_the_positive_as_class_zero():
    gen = torch.Generator().manual_seed(0)
    query, positive = torch.randn(2, 8, 5, generator=gen), torch.randn(2, 8, 5, generator=gen)
    negatives = torch.randn(7, 8, generator=gen)
    q = torch.nn.functional.normalize(query, dim=1).transpose(1, 2).reshape(-1, 8)  # (10, 8)
    k = torch.nn.functional.normalize(positive, dim=1).transpose(1, 2).reshape(-1, 8)
    n = torch.nn.functional.normalize(negatives, dim=1)
    logits = torch.cat([(q * k).sum(1, keepdim=True), q @ n.t()], dim=1) / 0.5
    expected = torch.nn.functional.cross_entropy(logits, torch.zeros(10, dtype=torch.long))
    assert torch.allclose(PixelInfoNCELoss(temperature=0.5)(query, positive, negatives), expected, atol=1e-6)


def test_gradient_reaches_the_query_only_through_the_loss():
    query = torch.randn(1, 4, 3, requires_grad=True)
    PixelInfoNCELoss()(query, torch.randn(1, 4, 3), torch.randn(5, 4)).backward()
    assert query.grad is not None and torch.isfinite(query.grad).all() and query.grad.abs().sum() > 0


def test_temperature_must_be_positive():
    with pytest.raises(ValueError, match=r'temperature .*must be > 0, got 0'):
        PixelInfoNCELoss(temperature=0)
