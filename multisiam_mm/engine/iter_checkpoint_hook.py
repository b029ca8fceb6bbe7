import glob
import os
import os.path as osp
import re
from typing import Optional

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from ..registry import HOOKS

from ..checkpoints.atomic_writes import ATOMIC_BACKEND, write_atomically
from .pretrain_runner import accumulative_counts


def save_iteration_checkpoint(runner) -> str:
    """Save ``iter_{n}.pth`` (n = iterations done) with optimizer and scheduler state, and point
    ``last_checkpoint`` at it, so that ``--resume`` continues from iteration n + 1. Returns its path.

    mmengine's ``save_checkpoint`` writes on rank 0 only; the file and the pointer are written atomically
    (:mod:`multisiam_mm.checkpoints.atomic_writes`), so a kill at any
    moment leaves the previous checkpoint usable.
    """
    filename = f'iter_{runner.iter + 1}.pth'
    runner.save_checkpoint(runner.work_dir, filename, by_epoch=False, save_optimizer=True,
                           save_param_scheduler=True, backend_args=ATOMIC_BACKEND)
    path = osp.join(runner.work_dir, filename)
    if is_main_process():
        write_atomically(path.encode(), osp.join(runner.work_dir, 'last_checkpoint'))
    runner.message_hub.update_info('last_ckpt', path)
    return path


def iteration_checkpoints(work_dir: str) -> list[str]:
    """The ``iter_{n}.pth`` files of ``work_dir``, oldest (smallest n) first."""
    def number(path: str) -> int:
        return int(re.fullmatch(r'iter_(\d+)\.pth', osp.basename(path)).group(1))
    paths = [p for p in glob.glob(osp.join(work_dir, 'iter_*.pth'))
             if re.fullmatch(r'iter_\d+\.pth', osp.basename(p))]
    return sorted(paths, key=number)


@HOOKS.register_module()
class IterCheckpointHook(Hook):
    """Checkpoints every ``interval`` iterations inside epoch-based runs, beside the epoch checkpoints.

    mmengine's ``CheckpointHook`` saves either by epoch or by iteration, and two of them share their
    bookkeeping of kept files in the message hub (``keep_ckpt_ids``), so the epoch one stays and this hook
    adds ``iter_{n}.pth`` snapshots, keeping the newest ``max_keep_ckpts`` of them. Together with
    :class:`ResumableEpochBasedTrainLoop`, ``--resume`` after a kill loses at most ``interval``
    iterations. With gradient accumulation, ``interval`` must be a multiple of
    ``optim_wrapper.accumulative_counts``: a snapshot then always falls on an optimizer step, and the
    resumed run's accumulation windows are the uninterrupted run's.

    Args:
        interval: iterations between snapshots. 0 disables the hook.
        max_keep_ckpts: snapshots kept; older ones are deleted after a new one is written. Defaults to 2.
    """

    priority = 'VERY_LOW'  # with CheckpointHook: after the NaN guard and the logger

    def __init__(self, interval: int, max_keep_ckpts: int = 2) -> None:
        if interval < 0 or max_keep_ckpts < 1:
            raise ValueError(f'IterCheckpointHook needs interval >= 0 and max_keep_ckpts >= 1, got '
                             f'interval={interval}, max_keep_ckpts={max_keep_ckpts}')
        self.interval = interval
        self.max_keep_ckpts = max_keep_ckpts

    def before_train(self, runner) -> None:
        counts = accumulative_counts(runner.optim_wrapper)
        if self.interval and self.interval % counts:
            raise ValueError(
                f'IterCheckpointHook.interval ({self.interval}) must be a multiple of '
                f'optim_wrapper.accumulative_counts ({counts}), so that snapshots fall on optimizer steps; '
                f'use {self.interval + counts - self.interval % counts}')

    def after_train_iter(self, runner, batch_idx: int, data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        if not self.interval or not self.every_n_train_iters(runner, self.interval):
            return
        save_iteration_checkpoint(runner)
        if is_main_process():
            for old in iteration_checkpoints(runner.work_dir)[:-self.max_keep_ckpts]:
                os.remove(old)
