import glob
import os
import os.path as osp
from collections import Counter

from mmengine.dist import get_rank, is_main_process
from mmengine.hooks import Hook
from mmengine.logging import print_log
from ..registry import HOOKS

from ..datasets.transforms.load_image_or_skip import SKIPPED_FILES_LOG


@HOOKS.register_module()
class SkippedFilesHook(Hook):
    """End a run with one summary of the files :class:`LoadImageOrSkip` skipped: unique files, counts.

    Each skip is logged where it happens, by the worker process that met it, with that worker's running
    count; no process sees the total. Before training this hook points every rank's workers at
    ``work_dir/skipped_files.rank<r>.tsv``; after training rank 0 reads all ranks' files and logs how many
    unique files were skipped how often, the most frequent first.

    Args:
        show: files listed by name in the summary. Defaults to 20.
    """

    priority = 'LOW'

    def __init__(self, show: int = 20) -> None:
        self.show = show

    def before_train(self, runner) -> None:
        os.environ[SKIPPED_FILES_LOG] = osp.join(runner.work_dir, f'skipped_files.rank{get_rank()}.tsv')

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
