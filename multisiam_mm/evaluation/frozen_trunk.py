"""The dense probe's frozen backbone (:mod:`.dense_probe`, "Backbone"): a torchvision ResNet up to its final
map, in eval mode, from a checkpoint or seeded random init; the key its features are cached under; its
features of a list of frames.
"""
import hashlib
from pathlib import Path
from typing import Optional, Sequence

import torch
from torch import Tensor, nn

from .camvid_frames import read_image


def resnet_trunk(state_dict: Optional[dict[str, Tensor]], depth: int = 18, seed: int = 0) -> nn.Module:
    """A frozen torchvision ResNet up to ``layer4`` (the final map), eval mode.

    Args:
        state_dict: Backbone weights with torchvision key names (an OpenMMLab plain-stem ResNet's; see
            :func:`multisiam_mm.checkpoints.to_torchvision_resnet`), or ``None`` for random init.
        depth: ResNet depth when ``state_dict`` is None; otherwise read from the weights.
        seed: Seed of the random init.
    """
    import torchvision

    from ..checkpoints import resnet_depth_of, to_torchvision_resnet
    if state_dict is not None:
        state_dict = to_torchvision_resnet(state_dict)  # checks every key and shape
        depth = resnet_depth_of(state_dict)
    torch.manual_seed(seed)
    resnet = getattr(torchvision.models, f'resnet{depth}')(weights=None)
    if state_dict is not None:
        resnet.load_state_dict(state_dict, strict=False)  # fc.* alone is missing (checked above)
    trunk = nn.Sequential(*list(resnet.children())[:-2])  # conv1 ... layer4, no pooling or fc
    return trunk.eval().requires_grad_(False)


def load_trunk(checkpoint: str, source: str = 'online', seed: int = 0, depth: int = 18) -> tuple[nn.Module, str]:
    """The frozen trunk of ``checkpoint`` (a pre-training checkpoint, a backbone-only file, or ``'random'``)
    and the key its features are cached under (the checkpoint's digest, or the random seed)."""
    from ..checkpoints import load_backbone_state_dict
    if checkpoint == 'random':
        return resnet_trunk(None, depth, seed), f'random resnet{depth} seed {seed}'
    return resnet_trunk(load_backbone_state_dict(checkpoint, source)), f'{file_digest(Path(checkpoint))} {source}'


def file_digest(path: Path) -> str:
    """SHA-1 of a file's bytes (checkpoints are re-written in place by a resumed run)."""
    digest = hashlib.sha1()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 22), b''):
            digest.update(block)
    return digest.hexdigest()


@torch.inference_mode()
def extract_features(trunk: nn.Module, images: Sequence[Path], batch_size: int = 8) -> Tensor:
    """The final maps ``(N, C, h, w)`` of ``images`` (all the same size), in order."""
    maps = []
    for start in range(0, len(images), batch_size):
        batch = torch.stack([read_image(path) for path in images[start:start + batch_size]])
        maps.append(trunk(batch))
    return torch.cat(maps)
