import glob
import logging
import os.path as osp
from collections import Counter

from mmcv.transforms import BaseTransform
from mmengine.dataset import Compose
from mmengine.dist import get_rank, is_main_process
from mmengine.hooks import Hook
from mmengine.logging import print_log
from torch.utils.data import Dataset

from ..datasets.transforms.load_image_or_skip import LoadImageOrSkip
from ..registry import HOOKS


def bad_file_loaders(dataset: Dataset) -> list[LoadImageOrSkip]:
    """Every :class:`LoadImageOrSkip` of a dataset's pipeline: also inside another transform (the one
    :class:`LoadAndPairCrop` holds, a ``Compose``) and in wrapped datasets (``dataset``, ``datasets``).

    Only pipelines are searched, never a dataset's list of samples.
    """
    found, seen, todo = [], set(), [dataset]
    while todo:
        item = todo.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, LoadImageOrSkip):
            found.append(item)
        elif isinstance(item, (list, tuple)):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, Dataset):
            todo.extend(getattr(item, name) for name in ('pipeline', 'dataset', 'datasets') if hasattr(item, name))
        elif isinstance(item, (BaseTransform, Compose)):
            todo.extend(vars(item).values())
    return found


@HOOKS.register_module()
class SkippedFilesHook(Hook):
    """End a run with one summary of the files :class:`LoadImageOrSkip` skipped: unique files, counts.

    Each skip is logged where it happens, by the worker process that met it, with that worker's running
    count; no process sees the total. Before training this hook sets ``record_file`` of every
    :class:`LoadImageOrSkip` in the train dataset's pipeline (:func:`bad_file_loaders`) to
    ``work_dir/skipped_files.rank<r>.tsv``; the dataloader workers, forked (or, with ``spawn``, sent the
    pickled dataset) when the epoch loop first iterates, after ``before_train``, carry it, persistent or
    not, and each appends one line per skip. After training rank 0 reads all ranks' files and logs how
    many unique files were skipped how often, the most frequent first.

    mmengine's ``IterBasedTrainLoop`` starts its workers when it is built, before ``before_train``: the
    files those workers skip are not recorded (a warning says so).

    Args:
        show: files listed by name in the summary. Defaults to 20.
    """

    priority = 'LOW'

    def __init__(self, show: int = 20) -> None:
        self.show = show

    def before_train(self, runner) -> None:
        record = osp.join(runner.work_dir, f'skipped_files.rank{get_rank()}.tsv')
        for loader in bad_file_loaders(runner.train_dataloader.dataset):
            loader.record_file = record
        loop = getattr(runner, 'train_loop', None)
        if getattr(loop, 'dataloader_iterator', None) is not None and runner.train_dataloader.num_workers:
            print_log(f'SkippedFilesHook: {type(loop).__name__} started its dataloader workers before training: '
                      'the files they skip are not in the end-of-training summary (their warnings still name them)',
                      logger='current', level=logging.WARNING)

    def after_train(self, runner) -> None:
        if not is_main_process():
            return
        events = Counter()
        reasons = {}
        for path in sorted(glob.glob(osp.join(runner.work_dir, 'skipped_files.rank*.tsv'))):
            with open(path) as handle:
                for line in handle:
                    name, _, reason = line.rstrip('\n').partition('\t')
                    events[name] += 1
                    reasons.setdefault(name, reason)
        if not events:
            print_log('skipped files: none', logger='current')
            return
        listed = '; '.join(f'{name} x{count} ({reasons[name]})' for name, count in events.most_common(self.show))
        more = f'; ... {len(events) - self.show} more' if len(events) > self.show else ''
        print_log(f'skipped files: {len(events)} unique files, {sum(events.values())} skips in all: '
                  f'{listed}{more} (all: {runner.work_dir}/skipped_files.rank*.tsv)', logger='current')
