"""Image decoding that survives the bad files of multi-million-frame street-scene collections."""
import logging
import os
from collections import Counter
from typing import Optional

from mmcv.transforms import BaseTransform
from mmengine.logging import print_log

from ...registry import TRANSFORMS
from ..image_decoding import EncodedImage

#: skips logged one by one in a worker; after them, one summary line at each power of ten
SKIPS_LOGGED = 10
#: skips in a worker that has read no image yet after which the data set is taken to hold none
NO_IMAGE_AFTER = 100


class NoReadableImage(RuntimeError):
    """Raised when a worker tried :data:`NO_IMAGE_AFTER` files and could read none of them."""


def reason_of(error: Exception) -> str:
    """The reason of a failure without the file's name, so that skips count by cause."""
    return error.strerror if isinstance(error, OSError) and error.strerror else str(error)


@TRANSFORMS.register_module()
class LoadImageOrSkip(BaseTransform):
    """Load an image as 3-channel uint8 BGR, or skip it with a warning when it cannot be decoded.

    Reads ``img_bytes`` when the dataset provides them (Waymo parquet rows), else the file at
    ``img_path`` through mmengine's file backends, once, and decodes them once
    (:class:`~multisiam_mm.datasets.image_decoding.EncodedImage`). Grayscale, RGBA, palette and 16-bit
    images are converted (:func:`decode_bgr`). An unreadable, empty, truncated or undecodable file makes the
    transform return ``None``: mmengine's ``BaseDataset`` then draws another index, so a long run
    never dies on one file. The first :data:`SKIPS_LOGGED` skips of a worker process log a warning
    each, naming the file; after that one line at 100, 1,000, ... skips gives the count and the reasons,
    so a folder of bad files (or files that vanished under a running job) cannot flood the log. Every
    skip is appended to ``record_file``, a line ``path<TAB>reason``, when it is set: before training,
    :class:`~multisiam_mm.engine.SkippedFilesHook` sets it to its rank's file on the train dataset's
    transforms, which the dataloader workers, started (or pickled) after it, carry; the hook summarizes
    all ranks' files when training ends.
    A worker that has tried :data:`NO_IMAGE_AFTER` files and read none raises :class:`NoReadableImage`
    naming the folder, the count and the reasons (instead of mmengine's retries ending in "Cannot find
    valid image after 1000!").

    Required keys: ``img_path``; optional ``img_bytes``, ``img_error``. Added keys: ``img`` (H, W, 3) uint8
    BGR, ``img_shape``, ``ori_shape`` (H, W). Removed keys: ``img_bytes``, ``img_error``.

    Args:
        skip_bad: skip bad files (True) or raise on them (False, for debugging a data set).
        backend_args: mmengine file backend arguments, e.g. for a remote store. Defaults to None.
    """

    def __init__(self, skip_bad: bool = True, backend_args: Optional[dict] = None) -> None:
        super().__init__()
        self.skip_bad = skip_bad
        self.backend_args = backend_args
        self.num_skipped = 0  # per process
        self.num_loaded = 0
        self.reasons = Counter()  # reason -> skips, in this process
        self.folder: Optional[str] = None  # the folder common to the skipped files
        self.record_file: Optional[str] = None  # each skip appended as one line; None: not recorded

    def skip(self, img_path: str, error: Exception) -> None:
        """Count, record and (rate-limited) log a bad file and return None (the dataset draws another
        index), or raise with ``skip_bad=False``; raise :class:`NoReadableImage` when nothing was read."""
        if not self.skip_bad:
            raise ValueError(f'cannot load {img_path}: {error}') from error
        self.num_skipped += 1
        self.reasons[reason_of(error)] += 1
        folder = os.path.dirname(img_path)
        self.folder = folder if self.folder is None else os.path.commonpath([self.folder, folder])
        if self.record_file:
            with open(self.record_file, 'a') as handle:  # one short line per append: whole lines across workers
                reason = ' '.join(str(error).split())  # one line, no tabs
                handle.write(f'{img_path}\t{reason}\n')
        if not self.num_loaded and self.num_skipped >= NO_IMAGE_AFTER:
            raise NoReadableImage(
                f'no readable image: {self.num_skipped} files tried under {self.folder!r}, none could be '
                f'read ({self.reason_summary()}). Check the data set (data_root, data_prefix, ann_file) and '
                'that the files are images this machine can open')
        if self.num_skipped <= SKIPS_LOGGED:
            more = ('; further skips in this worker are summarized at 100, 1,000, ...'
                    if self.num_skipped == SKIPS_LOGGED else '')
            print_log(f'LoadImageOrSkip: skipped {img_path}: {error}. Skipped files so far in this '
                      f'worker: {self.num_skipped}{more}', logger='current', level=logging.WARNING)
        elif self.num_skipped in (10**k for k in range(2, 10)):
            print_log(f'LoadImageOrSkip: {self.num_skipped} files skipped so far in this worker under '
                      f'{self.folder!r} ({self.reason_summary()}); {self.num_loaded} read',
                      logger='current', level=logging.WARNING)
        return None

    def reason_summary(self) -> str:
        """``reason x count`` of this process's skips, the most frequent first (three of them)."""
        return ', '.join(f'{reason} x{count}' for reason, count in self.reasons.most_common(3))

    def transform(self, results: dict) -> Optional[dict]:
        img_path = results.get('img_path', '<bytes>')
        try:
            img = EncodedImage.read(results, self.backend_args).bgr  # (H, W, 3) uint8 BGR
        except Exception as error:  # any I/O or decode failure of one file
            return self.skip(img_path, error)
        self.num_loaded += 1
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(skip_bad={self.skip_bad}, backend_args={self.backend_args})'
