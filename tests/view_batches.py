"""Batches of real views as the dataloader gives them, for the tests of the per-view augmentation
(tests/views/test_view_augment_preprocessor.py on the CPU, tests/cuda/test_view_augment_on_device.py on the
device): each demo CamVid frame's pair under its seed, drawn by the workers and augmented there or packed for
the device, collated.
"""
import torch
from mmengine.config import Config
from mmengine.dataset import default_collate
from mmengine.structures import BaseDataElement

from multisiam_mm.datasets.per_sample_seed import seeded_rngs
from multisiam_mm.datasets.transforms import LoadAndPairCrop
from multisiam_mm.views import PerViewAugment

from tool_scripts import REPO

BYOL_VIEWS = Config.fromfile(str(REPO / 'configs/_base_/pipelines/byol_view_augment.py'))
FRAMES = sorted(str(path) for path in (REPO / 'demo/camvid/train').glob('*.jpg'))


def pack(results: dict, nested: bool = False) -> dict:
    """The views as ``(3, H, W)`` uint8 tensors and the drawn fields on the data sample, or in its
    ``pseudo_label`` as mmselfsup's ``PackSelfSupInputs`` nests them."""
    fields = BaseDataElement(view_augment=torch.from_numpy(results['view_augment']),
                             flipped=torch.from_numpy(results['flipped']))
    sample = BaseDataElement(pseudo_label=fields) if nested else fields
    return dict(inputs=[torch.from_numpy(view).permute(2, 0, 1) for view in results['img']], data_samples=sample)


def batch_through(views: list, on_device: bool, seeds: range, size: int = 96) -> dict:
    """Each frame's pair (``size`` px crops) under its seed (as SeededSampler gives), collated like the
    dataloader: augmented in the worker (``on_device=False``) or only drawn, for the device."""
    crop = LoadAndPairCrop(size=size, decode='full')
    augment = PerViewAugment(transforms=views, on_device=on_device)
    samples = []
    for seed in seeds:
        with seeded_rngs(seed):
            samples.append(pack(augment(crop(dict(img_path=FRAMES[seed % len(FRAMES)])))))
    return default_collate(samples)
