from mmengine.dist import get_world_size
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner
from mmselfsup.registry import RUNNERS

from .. import compat
from ..checkpoints import check_checkpoint_fits


def accumulative_counts(optim_wrapper) -> int:
    """``optim_wrapper.accumulative_counts`` of the config: iterations per optimizer step. mmengine 0.10.7
    keeps it private (``OptimWrapper._accumulative_counts``, which ``should_update`` reads); this is the
    one place of the plugin that reads it."""
    return optim_wrapper._accumulative_counts


def total_batch_size(batch_size: int, world_size: int, accumulative_counts: int) -> int:
    """Images behind one optimizer step: per-process batch x processes x accumulated iterations."""
    return batch_size * world_size * accumulative_counts


@RUNNERS.register_module()
class PretrainRunner(Runner):
    """mmengine's runner for pre-training: the paper's lr rule, the plugin's run-time fixes, checkpoints that fit.

    **lr = base lr x total batch / 256** (Sec. 4.1).
    Pre-training configs state the base lr per ``auto_scale_lr.base_batch_size`` images
    (``optim_wrapper.optimizer.lr``, e.g. 1.0 per 256) with ``auto_scale_lr.enable=True``. mmengine's own
    ``scale_lr`` counts processes x per-process batch; this one also counts gradient accumulation
    (``optim_wrapper.accumulative_counts``: the ablations' 1024 x 4 is batch 4096), and logs the
    arithmetic, so ``--cfg-options train_dataloader.batch_size=64`` or another GPU count rescales the lr
    instead of silently keeping the config's value. Like mmengine's, it runs before the parameter
    schedulers store their initial lr.

    **The plugin's run-time fixes.** Built from a user's own ``tools/train.py`` (``runner_type``), it applies
    :func:`multisiam_mm.compat.apply_runtime_fixes` before anything is built, as the entry points do.

    **Checkpoints that fit, or a stop.** ``load_from`` and ``--resume`` checkpoints are checked against
    the model (names and shapes, :func:`check_checkpoint_fits`) before anything is loaded or trained.
    """

    def __init__(self, *args, **kwargs) -> None:
        compat.apply_runtime_fixes()
        super().__init__(*args, **kwargs)

    def load_or_resume(self) -> None:
        if not self._has_loaded and self._load_from is not None:
            model = self.model.module if is_model_wrapper(self.model) else self.model
            check_checkpoint_fits(model, self._load_from, '--resume' if self._resume else 'load_from')
        super().load_or_resume()

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
