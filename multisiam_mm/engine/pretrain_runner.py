import os
from typing import Optional

from mmengine.dist import get_world_size
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner
from ..registry import RUNNERS

from ..checkpoints import batch_layout, check_checkpoint_fits, check_resume_layout, total_batch_size
from .launcher_death import stop_with_launcher
from .work_dir_lock import hold_work_dir


def accumulative_counts(optim_wrapper) -> int:
    """``optim_wrapper.accumulative_counts`` of the config: iterations per optimizer step. mmengine 0.10.7
    keeps it private (``OptimWrapper._accumulative_counts``, which ``should_update`` reads); this is the
    one place of the plugin that reads it."""
    return optim_wrapper._accumulative_counts


#: the environment variable holding a process's global rank, per mmengine launcher (what ``init_dist`` reads)
RANK_VARIABLES = {'pytorch': 'RANK', 'slurm': 'SLURM_PROCID', 'mpi': 'OMPI_COMM_WORLD_RANK'}


def launch_rank(launcher: str) -> int:
    """This process's global rank, before the process group exists."""
    return int(os.environ.get(RANK_VARIABLES.get(launcher, ''), 0))


@RUNNERS.register_module()
class PretrainRunner(Runner):
    """mmengine's runner for pre-training: the paper's lr rule, checkpoints that fit, one run per work dir.

    **lr = base lr x total batch / 256** (Sec. 4.1).
    Pre-training configs state the base lr per ``auto_scale_lr.base_batch_size`` images
    (``optim_wrapper.optimizer.lr``, e.g. 1.0 per 256) with ``auto_scale_lr.enable=True``. mmengine's own
    ``scale_lr`` counts processes x per-process batch; this one also counts gradient accumulation
    (``optim_wrapper.accumulative_counts``: the ablations' 1024 x 4 is batch 4096), and logs the
    arithmetic, so ``--cfg-options train_dataloader.batch_size=64`` or another GPU count rescales the lr
    instead of silently keeping the config's value. Like mmengine's, it runs before the parameter
    schedulers store their initial lr.

    **Checkpoints that fit, or a stop.** ``load_from`` and ``--resume`` checkpoints are checked against
    the model (names and shapes, :func:`check_checkpoint_fits`) before anything is loaded or trained, and a
    ``--resume`` checkpoint against this run's batch layout (:func:`check_resume_layout`: another number of
    processes continues the same schedule and samples with the same total batch, another total batch is
    refused with the fix);
    every checkpoint records its layout (``meta['batch_layout']``).

    **One run per work dir, and none without its launcher.** Rank 0 holds the work dir's run lock
    (:func:`hold_work_dir`) from before anything is written there; trainers started by torchrun stop with
    a checkpoint when it dies (:func:`stop_with_launcher`).
    """

    def __init__(self, *args, **kwargs) -> None:
        launcher = kwargs.get('launcher', 'none')
        if launcher == 'pytorch':
            stop_with_launcher()
        work_dir = kwargs['work_dir'] if 'work_dir' in kwargs else args[1]  # Runner(model, work_dir, ...)
        self.run_lock = hold_work_dir(work_dir) if launch_rank(launcher) == 0 else None
        super().__init__(*args, **kwargs)

    def batch_layout(self) -> dict:
        """This run's batch layout (:func:`multisiam_mm.checkpoints.batch_layout`)."""
        return batch_layout(self.train_dataloader.batch_size, get_world_size(),
                            accumulative_counts(self.optim_wrapper), len(self.train_dataloader))

    def load_or_resume(self) -> None:
        if not self._has_loaded and self._load_from is not None:
            model = self.model.module if is_model_wrapper(self.model) else self.model
            check_checkpoint_fits(model, self._load_from, '--resume' if self._resume else 'load_from')
            if self._resume:
                change = check_resume_layout(self._load_from, self.batch_layout())
                if change:
                    self.logger.info(change)
        super().load_or_resume()

    def save_checkpoint(self, out_dir: str, filename: str, *args, meta: Optional[dict] = None, **kwargs) -> None:
        super().save_checkpoint(out_dir, filename, *args, meta=dict(meta or {}, batch_layout=self.batch_layout()),
                                **kwargs)

    def scale_lr(self, optim_wrapper, auto_scale_lr=None) -> None:
        if not auto_scale_lr or not auto_scale_lr.get('enable', False):
            return
        if not isinstance(optim_wrapper, OptimWrapper) or hasattr(optim_wrapper, 'optim_wrappers'):
            raise TypeError('auto_scale_lr with PretrainRunner supports one optimizer wrapper')
        batch = self.train_dataloader.batch_size
        counts = accumulative_counts(optim_wrapper)
        total = total_batch_size(batch, get_world_size(), counts)
        base = auto_scale_lr['base_batch_size']
        base_lr = optim_wrapper.optimizer.param_groups[0]['lr']
        for group in optim_wrapper.optimizer.param_groups:
            group['lr'] = group['lr'] * total / base
        self.logger.info(
            f'lr = base lr {base_lr:g} x total batch {total} ({batch} per process x {get_world_size()} '
            f'processes x {counts} accumulated) / {base} = {base_lr * total / base:g} (auto_scale_lr; '
            f'set auto_scale_lr.enable=False to use optim_wrapper.optimizer.lr as it is)')
