import math

import torch

from multisiam_mm.models.heads import PixelSelfAttention


def as_map(vectors):
    """(N, C) vectors -> a (1, C, 1, N) map with N pixels in one row."""
    return torch.tensor(vectors, dtype=torch.float32).t()[None, :, None, :]


def test_similarity_is_clipped_squared_cosine():
    angle = math.pi / 3  # cos 60 deg = 0.5 -> sim 0.25
    features = as_map([[1, 0], [2, 0], [math.cos(angle), math.sin(angle)], [0, 1], [-1, 0]])
    sim = PixelSelfAttention().similarity(features)[0]
    assert torch.allclose(sim[0], torch.tensor([1, 1, 0.25, 0, 0]), atol=1e-6)  # -1 and 0 clip to 0
    assert torch.allclose(sim, sim.t())


def test_each_pixel_gathers_the_predictions_of_similar_pixels():
    features = as_map([[1, 0], [1, 0], [0, 1]])  # pixels 0 and 1 alike, pixel 2 orthogonal
    local = as_map([[1.0], [2.0], [5.0]])  # q(R) per pixel, one channel
    out = PixelSelfAttention()(local, features)
    assert out.flatten().tolist() == [3.0, 3.0, 5.0]  # q0 + q1, q0 + q1, q2
    residual = PixelSelfAttention(residual=True)(local, features)
    assert residual.flatten().tolist() == [4.0, 5.0, 10.0]  # plus q(R) itself
