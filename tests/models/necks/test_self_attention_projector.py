import torch
import torch.nn.functional as F

from multisiam_mm.models.necks import SelfAttentionProjector

MLP = dict(type='MoCoV2Neck', in_channels=3, hid_channels=8, out_channels=4, with_avg_pool=False)


def as_map(vectors):
    """(N, C) pixel vectors -> a (1, C, 1, N) map with N pixels in one row."""
    return torch.tensor(vectors, dtype=torch.float32).t()[None, :, None, :]


def test_project_applies_the_mlp_to_every_pixel():
    torch.manual_seed(0)
    projector = SelfAttentionProjector(MLP)
    x = torch.randn(2, 3, 4, 5)
    out = projector.project(x)
    assert out.shape == (2, 4, 4, 5)
    for b, i, j in [(0, 0, 0), (1, 3, 4), (1, 2, 1)]:
        assert torch.allclose(out[b, :, i, j], projector.mlp([x[b, :, i, j][None]])[0][0], atol=1e-6)
    assert torch.equal(projector(x), out)  # without attention Q = g(R)


def test_attention_sums_the_projections_of_similar_pixels():
    """Eq. (18) with sim on R: pixels 0 and 1 alike (cos 1), pixel 2 orthogonal (cos 0); each g(R_i'j') is
    L2-normalized before it is summed (PixPro's pixel propagation)."""
    torch.manual_seed(0)
    projector = SelfAttentionProjector(MLP, attention=dict(type='PixelSelfAttention', power=2.0))
    x = as_map([[1, 0, 0], [2, 0, 0], [0, 1, 0]])
    g = F.normalize(projector.project(x)[0, :, 0], dim=0)  # (4, 3): g(R) per pixel, unit length
    q = projector(x)[0, :, 0]
    assert torch.allclose(q[:, 0], g[:, 0] + g[:, 1], atol=1e-6)
    assert torch.allclose(q[:, 1], g[:, 0] + g[:, 1], atol=1e-6)
    assert torch.allclose(q[:, 2], g[:, 2], atol=1e-6)
