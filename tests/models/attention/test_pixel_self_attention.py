import math

import torch

from multisiam_mm.models.attention import PixelSelfAttention


def as_map(vectors):
    """(N, C) vectors -> a (1, C, 1, N) map with N pixels in one row."""
    return torch.tensor(vectors, dtype=torch.float32).t()[None, :, None, :]


def test_similarity_is_clipped_squared_cosine():
    angle = math.pi / 3  # cos 60 deg = 0.5 -> sim 0.25
    features = as_map([[1, 0], [2, 0], [math.cos(angle), math.sin(angle)], [0, 1], [-1, 0]])
    sim = PixelSelfAttention().similarity(features)[0]
    assert torch.allclose(sim[0], torch.tensor([1, 1, 0.25, 0, 0]), atol=1e-6)  # -1 and 0 clip to 0
    assert torch.allclose(sim, sim.t())


def test_each_pixel_gathers_the_normalized_predictions_of_similar_pixels():
    """Eq. (8) with PixPro's value normalization, on a 2x2 map computed on paper.

    R (pixels in row-major order): (1, 0), (1, 1), (0, 1), (-1, 0). sim = max(cos, 0)^2:
    row (1, 0): [1, 0.5, 0, 0]; (1, 1): [0.5, 1, 0.5, 0]; (0, 1): [0, 0.5, 1, 0]; (-1, 0): [0, 0, 0, 1].
    q(R): (3, 4), (0, 2), (5, 0), (0, -7) -> unit (0.6, 0.8), (0, 1), (1, 0), (0, -1).
    """
    features = torch.tensor([[1.0, 0], [1, 1], [0, 1], [-1, 0]]).t().reshape(1, 2, 2, 2)
    local = torch.tensor([[3.0, 4], [0, 2], [5, 0], [0, -7]]).t().reshape(1, 2, 2, 2)
    out = PixelSelfAttention()(local, features).flatten(2)[0].t()  # (N, C)
    expected = torch.tensor([[0.6, 1.3],   # 1 * (0.6, 0.8) + 0.5 * (0, 1)
                             [0.8, 1.4],   # 0.5 * (0.6, 0.8) + (0, 1) + 0.5 * (1, 0)
                             [1.0, 0.5],   # 0.5 * (0, 1) + (1, 0)
                             [0.0, -1.0]])  # alone
    assert torch.allclose(out, expected, atol=1e-6)
    residual = PixelSelfAttention(residual=True)(local, features).flatten(2)[0].t()
    unit = torch.tensor([[0.6, 0.8], [0, 1], [1, 0], [0, -1]])
    assert torch.allclose(residual, expected + unit, atol=1e-6)  # plus q_hat(R) itself


def test_a_high_norm_pixel_does_not_dominate():
    features = as_map([[1, 0], [1, 0]])  # two identical pixels
    local = as_map([[1000.0, 0], [0, 1]])  # one prediction 1000x longer
    out = PixelSelfAttention()(local, features).flatten(2)[0].t()
    assert torch.allclose(out, torch.tensor([[1.0, 1.0], [1.0, 1.0]]))  # both directions count equally
