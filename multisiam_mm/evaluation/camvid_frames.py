"""CamVid frames for the frozen-backbone instruments: which frames (a split or a list file) and their tensors.

A frame set is named by a split (``train``, ``val``: the split's ``.txt`` of stems) or by a list file of
``split/stem`` lines, so any subset or mix of the splits is measured without a code change. Frames are
read whole (480x360, no crop or flip), normalized with the ImageNet statistics of pre-training; labels
are CamVid ids (:mod:`multisiam_mm.datasets.camvid_classes`).
"""
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from PIL import Image
from torch import Tensor

#: ImageNet statistics in RGB order, 0..255 (the pre-training data preprocessor's)
MEAN = (123.675, 116.28, 103.53)
STD = (58.395, 57.12, 57.375)


def split_files(data_root: Path, split: str) -> list[tuple[Path, Path]]:
    """``(image, label)`` paths of a CamVid split: ``{split}/{stem}.jpg``, ``{split}annot/{stem}.png``."""
    listing = data_root / f'{split}.txt'
    if not listing.is_file():
        raise FileNotFoundError(f'{listing} does not exist: data_root must hold CamVid\'s {split}.txt, '
                                f'{split}/ and {split}annot/ (or give a list file of split/stem lines)')
    return checked_pairs([(split, stem) for stem in listing.read_text().split()], data_root, listing)


def frame_files(data_root: Path, frames: str) -> list[tuple[Path, Path]]:
    """``(image, label)`` paths of the frames named by ``frames``: a split name (:func:`split_files`) or a
    list file with one ``split/stem`` per line (``train/0001TP_006690``; a ``.jpg`` suffix is allowed),
    so that any subset or mix of the splits can be evaluated without a code change."""
    listing = Path(frames)
    if not listing.is_file():
        if '/' in frames or listing.suffix:
            raise FileNotFoundError(f'frame list {listing} does not exist; give a split name (train, val) or a '
                                    'file of split/stem lines')
        return split_files(data_root, frames)
    entries = [line.strip().removesuffix('.jpg') for line in listing.read_text().splitlines() if line.strip()]
    bad = [entry for entry in entries if entry.count('/') != 1]
    if bad:
        raise ValueError(f'{listing}: lines must be split/stem (e.g. train/0001TP_006690), got {bad[:3]}')
    return checked_pairs([tuple(entry.split('/')) for entry in entries], data_root, listing)


def checked_pairs(names: Sequence[tuple[str, str]], data_root: Path, listing: Path) -> list[tuple[Path, Path]]:
    """``(image, label)`` of each ``(split, stem)``; every file must exist."""
    pairs = [(data_root / split / f'{stem}.jpg', data_root / f'{split}annot' / f'{stem}.png') for split, stem in names]
    missing = [str(path) for pair in pairs for path in pair if not path.is_file()]
    if missing:
        raise FileNotFoundError(f'{len(missing)} files listed in {listing} are missing, e.g. {missing[:3]}')
    if not pairs:
        raise ValueError(f'{listing} lists no frame')
    return pairs


def read_image(path: Path) -> Tensor:
    """An RGB frame as a normalized ``(3, H, W)`` float tensor."""
    rgb = torch.from_numpy(np.asarray(Image.open(path).convert('RGB'), dtype=np.float32))
    return ((rgb - torch.tensor(MEAN)) / torch.tensor(STD)).permute(2, 0, 1)


def read_label(path: Path) -> Tensor:
    """A label map as an ``(H, W)`` int64 tensor of CamVid ids (void:
    :data:`~multisiam_mm.datasets.camvid_classes.CAMVID_VOID_ID`)."""
    return torch.from_numpy(np.asarray(Image.open(path), dtype=np.int64))
