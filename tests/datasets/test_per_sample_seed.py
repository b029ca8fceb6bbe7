import numpy as np
import torch
from mmengine.dataset import DefaultSampler
from torch.utils.data import DataLoader

from multisiam_mm.datasets import SeededSampler, UnlabeledImageList
from multisiam_mm.datasets.per_sample_seed import sample_seed, seeded_rngs

PIPELINE = [
    dict(type='LoadImageOrSkip'),
    dict(type='IoUConstrainedPairCrop', size=64),
    dict(type='PerViewAugment', transforms=[[dict(type='RandomFlip', prob=0.5)]] * 2),
    dict(type='PackSelfSupInputs', key='img', pseudo_label_keys=['crop_boxes', 'flipped'],
         meta_keys=['img_path']),
]


def demo_dataset() -> UnlabeledImageList:
    return UnlabeledImageList(data_root='demo/camvid/', data_prefix=dict(img_path='train/'),
                              indices=6, pipeline=PIPELINE)


def sampled_geometry(num_workers: int, epoch: int = 0, seed: int = 7) -> list[tuple]:
    """(path, crop boxes, flips) of one epoch, loaded with ``num_workers`` workers."""
    dataset = demo_dataset()
    sampler = SeededSampler(dataset, shuffle=True, seed=seed)
    sampler.set_epoch(epoch)
    loader = DataLoader(dataset, sampler=sampler, batch_size=None, num_workers=num_workers)
    return [(s['data_samples'].img_path, s['data_samples'].pseudo_label.crop_boxes.tolist(),
             s['data_samples'].pseudo_label.flipped.tolist()) for s in loader]


def test_sampler_keeps_default_order_and_adds_per_sample_seeds():
    dataset = demo_dataset()
    seeded, default = SeededSampler(dataset, seed=3), DefaultSampler(dataset, seed=3)
    seeded.set_epoch(2)
    default.set_epoch(2)
    pairs = list(seeded)
    assert [index for index, _ in pairs] == list(default)
    assert [seed for _, seed in pairs] == [sample_seed(3, 2, index) for index in default]
    assert len({seed for _, seed in pairs}) == len(pairs)


def test_same_seed_same_crops_whatever_the_number_of_workers():
    single = sampled_geometry(num_workers=0)
    assert single == sampled_geometry(num_workers=2)
    assert single == sampled_geometry(num_workers=0)
    assert single != sampled_geometry(num_workers=0, epoch=1)  # new epoch, new crops
    assert single != sampled_geometry(num_workers=0, seed=8)


def test_seeded_block_restores_the_global_generators():
    np.random.seed(0)
    torch.manual_seed(0)
    expected = np.random.rand(), torch.rand(1).item()
    np.random.seed(0)
    torch.manual_seed(0)
    with seeded_rngs(123):
        np.random.rand(5)
        torch.rand(5)
    assert (np.random.rand(), torch.rand(1).item()) == expected


def test_plain_integer_index_still_works():
    sample = demo_dataset()[0]
    assert sample['data_samples'].pseudo_label.crop_boxes.shape == (2, 4)


def test_start_at_resumes_the_shard_at_a_sample_for_one_pass_only():
    dataset = demo_dataset()  # 6 samples
    sampler = SeededSampler(dataset, shuffle=True, seed=3)
    sampler.set_epoch(1)
    full = list(sampler)
    sampler.start_at(4)
    assert list(sampler) == full[4:]  # the same samples, order and seeds from the 5th on
    assert list(sampler) == full  # the next pass is whole again
    try:
        sampler.start_at(7)
    except ValueError as error:
        assert 'a pass can start at 0 to 6 in this shard, got 7' in str(error)
    else:
        raise AssertionError('starting past the shard was accepted')
