"""The frozen trunk's final maps of named frame sets, with their labels, computed once and cached on disk.

Features are cached under ``cache_dir`` by the backbone's key (the checkpoint's digest and source, or the
random seed: :func:`.frozen_trunk.load_trunk`) and the frames' paths, so every instrument and every rerun
on the same backbone and frames reads them instead of running the trunk again.
"""
import hashlib
from pathlib import Path
from typing import Optional, Sequence

import torch
from torch import Tensor, nn

from .camvid_frames import frame_files, read_label
from .frozen_trunk import extract_features, load_trunk


def cached_features(trunk_key: str, trunk: nn.Module, files: Sequence[tuple[Path, Path]],
                    cache_dir: Optional[Path]) -> Tensor:
    """:func:`extract_features` of the split's images, stored under ``cache_dir`` by backbone and files."""
    if cache_dir is None:
        return extract_features(trunk, [image for image, _ in files])
    listing = '\n'.join(str(image.resolve()) for image, _ in files)
    key = hashlib.sha1(f'{trunk_key}\n{listing}'.encode()).hexdigest()[:16]
    path = Path(cache_dir) / f'features_{key}.pt'
    if path.is_file():
        return torch.load(path, weights_only=True)
    features = extract_features(trunk, [image for image, _ in files])
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(features, path.with_suffix('.tmp'))
    path.with_suffix('.tmp').replace(path)
    return features


def trunk_features(trunk: nn.Module, trunk_key: str, data_root: str, frames: dict[str, str],
                   cache_dir: Optional[str] = None) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
    """The trunk's final maps and the labels of each named frame set (``{name: split name or list file}``,
    :func:`frame_files`), the features cached under ``cache_dir`` by ``trunk_key`` and the frames."""
    files = {name: frame_files(Path(data_root), spec) for name, spec in frames.items()}
    cache = None if cache_dir is None else Path(cache_dir)
    features = {name: cached_features(trunk_key, trunk, pairs, cache) for name, pairs in files.items()}
    labels = {name: torch.stack([read_label(label) for _, label in pairs]) for name, pairs in files.items()}
    return features, labels


def backbone_features(checkpoint: str, data_root: str, frames: dict[str, str], cache_dir: Optional[str] = None,
                      source: str = 'online', seed: int = 0,
                      depth: int = 18) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
    """:func:`trunk_features` of :func:`load_trunk`: ``{name: (N, C, h, w) features}`` and
    ``{name: (N, H, W) labels}`` of each named frame set.

    Args:
        checkpoint: A pre-training checkpoint, a backbone-only file, or ``'random'``.
        data_root: CamVid root (``train.txt``, ``train/``, ``trainannot/``, same for val).
        frames: ``{name: split name or list file}`` (:func:`frame_files`).
        cache_dir: Where the features are cached, keyed by the checkpoint's digest and the frames (``None``:
            not cached).
        source: ``'online'`` or ``'target'`` backbone of a pre-training checkpoint.
        seed: Seed of the random backbone (unused for a checkpoint).
        depth: ResNet depth of the random backbone.
    """
    trunk, trunk_key = load_trunk(checkpoint, source, seed, depth)
    return trunk_features(trunk, trunk_key, data_root, frames, cache_dir)
