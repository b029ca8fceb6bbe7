"""MoCo's shuffling BN without a process group: a permutation of the batch, undone exactly."""
import torch

from multisiam_mm.models.utils import batch_shuffle, batch_unshuffle


def test_the_shuffle_permutes_the_batch_and_the_unshuffle_restores_it():
    torch.manual_seed(0)
    x = torch.arange(8.).view(8, 1, 1, 1) * torch.ones(8, 3, 2, 2)
    shuffled, idx_unshuffle = batch_shuffle(x)
    assert sorted(shuffled[:, 0, 0, 0].tolist()) == list(range(8))
    assert not torch.equal(shuffled, x)  # seed 0 moves some sample
    assert torch.equal(batch_unshuffle(shuffled, idx_unshuffle), x)


def test_the_permutation_is_torchs_randperm_on_the_cpu_generator_as_both_hosts_draw_it():
    torch.manual_seed(3)
    expected = torch.randperm(5)
    torch.manual_seed(3)
    shuffled, _ = batch_shuffle(torch.arange(5.))
    assert torch.equal(shuffled, expected.float())
