"""A batch of two random views with the pair geometry the data pipeline packs (shared by the tests)."""
import torch
from mmengine.structures import InstanceData
from mmselfsup.structures import SelfSupDataSample


def pair_batch(batch_size: int = 4, size: int = 96, seed: int = 0):
    """Views ``(B, 3, size, size)`` and samples with overlapping crop boxes; some views flipped."""
    gen = torch.Generator().manual_seed(seed)
    inputs = [torch.randn(batch_size, 3, size, size, generator=gen) for _ in range(2)]
    samples = []
    for i in range(batch_size):
        sample = SelfSupDataSample()
        sample.pseudo_label = InstanceData(
            crop_boxes=torch.tensor([[0.0, 0, 200, 200], [40.0 + i, 30, 220, 210]]),
            flipped=torch.tensor([i % 2 == 0, i % 3 == 0]))
        samples.append(sample)
    return inputs, samples
