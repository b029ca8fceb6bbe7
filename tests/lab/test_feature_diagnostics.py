"""The dense features' position and locality diagnostics, on maps whose answers are known by hand."""
import pytest
import torch

from lab.feature_diagnostics import (effective_rank, frame_similarity, position_channels,
                                                         position_r2)


def test_position_planes_are_one_hot_rows_then_columns():
    planes = position_channels(2, h=2, w=3)
    assert planes.shape == (2, 5, 2, 3)
    torch.testing.assert_close(planes[1, 0], torch.tensor([[1., 1., 1.], [0., 0., 0.]]))  # row 0
    torch.testing.assert_close(planes[0, 2 + 2], torch.tensor([[0., 0., 1.], [0., 0., 1.]]))  # column 2
    assert (planes.sum(1) == 2).all()  # each cell: one row and one column


def test_features_holding_the_row_give_it_exactly_and_noise_gives_nothing():
    generator = torch.Generator().manual_seed(0)
    noise = torch.randn(40, 6, 5, 7, generator=generator)
    rows = torch.arange(5.).view(1, 5, 1).expand(40, 5, 7)
    with_row = torch.cat([noise, rows[:, None]], 1)
    row_r2, col_r2 = position_r2(with_row[:30], with_row[30:], ridge=1e-6)
    assert row_r2 == pytest.approx(1.0, abs=1e-6)
    assert abs(col_r2) < 0.05  # the noise channels say nothing about the column
    row_r2, col_r2 = position_r2(noise[:30], noise[30:])
    assert abs(row_r2) < 0.05 and abs(col_r2) < 0.05


def test_cells_copying_their_frame_score_one_and_cancelling_cells_zero():
    vectors = torch.randn(4, 8, generator=torch.Generator().manual_seed(1))
    copies = vectors[:, :, None, None].expand(4, 8, 3, 3)
    assert frame_similarity(copies) == pytest.approx(1.0, abs=1e-5)
    # 5 cells +v and 4 cells -v: the frame mean is v / 9, so the cosines are +1 five times, -1 four times;
    # each frame beside its negative keeps the split's mean cell at zero, so centring changes nothing
    sign = torch.tensor([1., -1.]).repeat(5)[:9].view(3, 3)
    frames = copies * sign
    assert frame_similarity(torch.cat([frames, -frames])) == pytest.approx(1 / 9, abs=1e-5)
    cancelling = vectors[:, :, None, None] * torch.tensor([[1., -1.], [-1., 1.]])  # frame mean zero
    assert frame_similarity(torch.cat([cancelling, -cancelling])) == pytest.approx(0.0, abs=1e-6)


def test_effective_rank_counts_equal_variance_directions():
    features = torch.zeros(4, 6, 5, 5)
    generator = torch.Generator().manual_seed(0)
    features[:, :3] = torch.randn(4, 3, 5, 5, generator=generator)  # 3 live channels, 3 dead
    assert 2.5 < effective_rank(features) <= 3.0  # three directions of near-equal variance
