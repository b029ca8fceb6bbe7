"""Unlabeled frames from a folder or a list file: SODA10M/SODA5M, Cityscapes, BDD100K, ImageNet, CamVid."""
import os
from typing import Sequence

from mmengine.dataset import BaseDataset
from mmengine.fileio import get_text, join_path
from mmengine.logging import print_log

from ..registry import DATASETS

from .per_sample_seed import PerSampleSeedMixin
from .pretraining_exclusions import left_out_lines, pretraining_images

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp')


def scan_images(folder: str, extensions: Sequence[str]) -> list[str]:
    """Relative paths of the images under ``folder``, recursively, sorted; symlinks are followed."""
    suffixes = tuple(ext.lower() for ext in extensions)
    found = []
    for root, dirs, files in os.walk(folder, followlinks=True):
        dirs.sort()
        rel_root = os.path.relpath(root, folder)
        for name in sorted(files):
            if name.lower().endswith(suffixes):
                found.append(name if rel_root == '.' else os.path.join(rel_root, name))
    return found


@DATASETS.register_module()
class UnlabeledImageList(PerSampleSeedMixin, BaseDataset):
    """An unlabeled image collection, for self-supervised pre-training (Sec. 4.1 data sets).

    Images are the files under ``data_prefix['img_path']`` (joined to ``data_root``), either listed
    in ``ann_file`` (one path per line relative to that folder; only the first whitespace-separated
    token is read, so ImageNet's ``meta/train.txt`` with labels works; blank lines and ``#`` comments
    are ignored) or, without ``ann_file``, found by scanning the folder recursively for
    ``extensions``. Of a list, the first ``check_first`` entries are checked at start (a
    multi-million list is not stat-ed whole): if none exists, the paths were built wrongly and the error
    shows how (data_root, data_prefix.img_path, the entry); a later missing or bad file is skipped by
    :class:`LoadImageOrSkip` with a warning.

    A folder that does not exist is an error naming it, never a scan of its parent: a data root holds
    label maps and evaluation splits beside the training frames (Cityscapes' ``gtFine/``, ``val/``), which
    must not enter pre-training. A scan leaves them out as ``make_image_list.py`` does (the one rule:
    :mod:`~multisiam_mm.datasets.pretraining_exclusions`) and logs what it left out of which folder;
    ``include_eval_splits`` / ``include_labels`` keep them. A list is taken as it is. For a flat folder of
    frames set ``data_prefix.img_path=''``.

    Raises at construction, naming the path and the fix, when the folder or list file does not
    exist or when no image is found.

    Args:
        data_root: root joined to ``ann_file`` and ``data_prefix``. Defaults to ''.
        data_prefix: ``dict(img_path=folder)``. Defaults to ``dict(img_path='')``.
        ann_file: optional list file. Defaults to '' (scan the folder).
        img_suffix: appended to each listed entry, e.g. '.jpg' for CamVid's stem lists.
        extensions: file suffixes picked up by the scan (case-insensitive).
        check_first: listed entries checked for existence at start. Defaults to 5.
        include_eval_splits: keep files under ``val/``, ``test/``, ... folders in a scan. Defaults to False.
        include_labels: keep label maps and label folders in a scan. Defaults to False.
        **kwargs: the rest of ``mmengine.dataset.BaseDataset``'s arguments (pipeline, indices, ...).
    """

    def __init__(self,
                 data_root: str = '',
                 data_prefix: dict = dict(img_path=''),
                 ann_file: str = '',
                 img_suffix: str = '',
                 extensions: Sequence[str] = IMG_EXTENSIONS,
                 check_first: int = 5,
                 include_eval_splits: bool = False,
                 include_labels: bool = False,
                 **kwargs) -> None:
        self.img_suffix = img_suffix
        self.include_eval_splits = include_eval_splits
        self.include_labels = include_labels
        self.extensions = tuple(extensions)
        self.check_first = check_first
        super().__init__(ann_file=ann_file, data_root=data_root, data_prefix=data_prefix, **kwargs)

    def check_listed(self, folder: str, entries: list[str]) -> None:
        """Fail when none of the first ``check_first`` listed local images exists, showing how the path
        was built (the usual cause: a data_root or data_prefix that does not match the list)."""
        first = entries[:self.check_first]
        paths = [join_path(folder, rel) if folder else rel for rel in first]
        if not first or any('://' in path or os.path.isfile(path) for path in paths):
            return
        raise FileNotFoundError(
            f'none of the first {len(first)} images of the list {self.ann_file!r} exists, e.g. {paths[0]!r}, '
            f'built from data_root {self.data_root!r} + data_prefix.img_path + the list entry '
            f'{first[0]!r} (img_suffix {self.img_suffix!r}); set data_root / data_prefix.img_path to the '
            'folder the list\'s paths are relative to')

    def load_data_list(self) -> list[dict]:
        folder = self.data_prefix.get('img_path', '')
        if self.ann_file:
            if '://' not in self.ann_file and not os.path.isfile(self.ann_file):
                raise FileNotFoundError(f'image list {self.ann_file!r} does not exist; set ann_file (relative '
                                        "to data_root) to a file of image paths, or ann_file='' to scan "
                                        f'the folder {folder!r}')
            lines = get_text(self.ann_file).splitlines()
            rel_paths = [line.split()[0] + self.img_suffix for line in lines
                         if line.strip() and not line.lstrip().startswith('#')]
            source = f'list {self.ann_file!r}'
            self.check_listed(folder, rel_paths)
        else:
            if not os.path.isdir(folder or '.'):
                raise FileNotFoundError(f'image folder {folder!r} does not exist; set data_root / '
                                        "data_prefix.img_path to the folder of frames (e.g. --cfg-options "
                                        "train_dataloader.dataset.data_root=data/camvid/)")
            rel_paths, left_out = pretraining_images(scan_images(folder or '.', self.extensions),
                                                     self.include_eval_splits, self.include_labels)
            for line in left_out_lines(left_out, 'include_labels=True', 'include_eval_splits=True'):
                print_log(f'{type(self).__name__} {folder!r}: {line}', logger='current')
            source = f'folder {folder!r} (extensions {", ".join(self.extensions)})'
            if left_out:
                source += f' once {sum(left_out.values())} label / evaluation files were left out'
        if not rel_paths:
            raise ValueError(f'no image found in {source}; check data_root, data_prefix.img_path and ann_file')
        return [dict(img_path=join_path(folder, rel) if folder else rel) for rel in rel_paths]
