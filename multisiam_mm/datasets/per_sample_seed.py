"""Per-sample seeding: every sample's augmentation is a function of (seed, epoch, index) alone.

A dataloader worker's random stream depends on how many workers there are and on how far the worker has
got, and mmengine does not checkpoint it: a resumed run, or one with another ``num_workers``, would draw
other crops. :class:`SeededSampler` therefore yields ``(index, sample_seed)`` pairs, and datasets with
:class:`PerSampleSeedMixin` run their pipeline (bad-file re-draws included) under that seed. The same seed
gives the same crops, boxes and flips in every run, and ``--resume`` continues with exactly the data an
uninterrupted run would have seen.
"""
import random
from contextlib import contextmanager
from typing import Iterator, Union

import numpy as np
import torch
from mmengine.dataset import DefaultSampler
from ..registry import DATA_SAMPLERS

SeededIndex = tuple[int, int]


def sample_seed(seed: int, epoch: int, index: int) -> int:
    """A 32-bit seed for one sample of one epoch, decorrelated across all three inputs."""
    return int(np.random.SeedSequence([seed % 2**32, epoch, index]).generate_state(1)[0])


@contextmanager
def seeded_rngs(seed: int):
    """Seed python's, numpy's and torch's global generators for a block; restore them afterwards."""
    states = random.getstate(), np.random.get_state(), torch.random.get_rng_state()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    try:
        yield
    finally:
        random.setstate(states[0])
        np.random.set_state(states[1])
        torch.random.set_rng_state(states[2])


@DATA_SAMPLERS.register_module()
class SeededSampler(DefaultSampler):
    """mmengine's ``DefaultSampler`` (same order, sharding and epoch reshuffle) yielding
    ``(index, sample_seed(seed, epoch, index))``. Pair it with a dataset using :class:`PerSampleSeedMixin`.

    :meth:`start_at` makes the next pass start further into this rank's shard, so that a run resumed inside
    an epoch (:class:`~multisiam_mm.engine.ResumableEpochBasedTrainLoop`) continues with exactly the
    samples, order and seeds the uninterrupted run had left.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._start = 0

    def start_at(self, position: int) -> None:
        """Start the next pass only at ``position`` of this rank's shard, leaving out the samples before it
        (those a resumed epoch already trained)."""
        if not 0 <= position <= self.num_samples:
            raise ValueError(f'a pass can start at 0 to {self.num_samples} in this shard, got {position}')
        self._start = position

    def __iter__(self) -> Iterator[SeededIndex]:
        start, self._start = self._start, 0
        for position, index in enumerate(super().__iter__()):
            if position >= start:
                yield index, sample_seed(self.seed, self.epoch, index)


class PerSampleSeedMixin:
    """Makes an mmengine ``BaseDataset`` accept ``(index, seed)`` and prepare that sample under the seed.

    A plain integer index keeps the usual, unseeded behaviour.
    """

    def __getitem__(self, index: Union[int, SeededIndex]) -> dict:
        if not isinstance(index, tuple):
            return super().__getitem__(index)
        index, seed = index
        with seeded_rngs(seed):
            return super().__getitem__(index)
