import re
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

from mmengine.dist import get_world_size
from mmengine.logging import MMLogger
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner
from mmselfsup.registry import RUNNERS

from .checkpoint_fit import check_checkpoint_fits

# mmengine's ExponentialMovingAverage warns for momentum > 0.5 because its own convention is
# new = (1 - m) * avg + m * x; mmselfsup's CosineEMA uses BYOL's tau (avg = tau * avg + (1 - tau) * x), so
# 0.99-0.996 is right and the warning is wrong for every run
EMA_CONVENTION_WARNING = r'The value of momentum in EMA is usually a small number'
FROZEN_PARAM = r'^(\S+) is skipped since its requires_grad=False'  # one line per target_net tensor
PARAMWISE_OPTION = r'^paramwise_options -- (\S+):(\w+)=(.+)$'  # one line per parameter and option


@contextmanager
def held_back_log_lines(*patterns: str) -> Iterator[list[re.Match]]:
    """Hold back the current MMLogger's records matching any of ``patterns`` and collect the matches,
    so that a repeated fact can be said once."""
    logger = MMLogger.get_current_instance()
    matches: list[re.Match] = []

    def keep(record) -> bool:
        match = next((m for p in patterns if (m := re.search(p, record.getMessage()))), None)
        if match is not None:
            matches.append(match)
        return match is None

    logger.addFilter(keep)
    try:
        yield matches
    finally:
        logger.removeFilter(keep)


def accumulative_counts(optim_wrapper) -> int:
    """``optim_wrapper.accumulative_counts`` of the config: iterations per optimizer step. mmengine 0.10
    keeps it private (``OptimWrapper.should_update`` reads the same field); this is the one place that
    reads it."""
    return optim_wrapper._accumulative_counts


def total_batch_size(batch_size: int, world_size: int, accumulative_counts: int) -> int:
    """Images behind one optimizer step: per-process batch x processes x accumulated iterations."""
    return batch_size * world_size * accumulative_counts


@RUNNERS.register_module()
class PretrainRunner(Runner):
    """mmengine's runner for pre-training: the paper's lr rule, and a start-up log a person can read.

    **lr = base lr x total batch / 256** (Sec. 4.1).
    Pre-training configs state the base lr per ``auto_scale_lr.base_batch_size`` images
    (``optim_wrapper.optimizer.lr``, e.g. 1.0 per 256) with ``auto_scale_lr.enable=True``. mmengine's own
    ``scale_lr`` counts processes x per-process batch; this one also counts gradient accumulation
    (``optim_wrapper.accumulative_counts``: the ablations' 1024 x 4 is batch 4096), and logs the
    arithmetic, so ``--cfg-options train_dataloader.batch_size=64`` or another GPU count rescales the lr
    instead of silently keeping the config's value. Like mmengine's, it runs before the parameter
    schedulers store their initial lr.

    **Each repeated fact once.** Building the optimizer, mmengine logs every frozen ``target_net``
    tensor (70 lines for a ResNet-18 MultiSiam) and every paramwise option of every parameter (200+
    lines); building the model, it warns that an EMA momentum of 0.99 is unusual, which holds for
    mmengine's EMA convention but not for mmselfsup's ``CosineEMA``. Those lines become one summary line
    each (the EMA warning none); every other message passes.

    **Checkpoints that fit, or a stop.** ``load_from`` and ``--resume`` checkpoints are checked against
    the model (names and shapes, :func:`check_checkpoint_fits`) before anything is loaded or trained.
    """

    def load_or_resume(self) -> None:
        if not self._has_loaded and self._load_from is not None:
            model = self.model.module if is_model_wrapper(self.model) else self.model
            check_checkpoint_fits(model, self._load_from, '--resume' if self._resume else 'load_from')
        super().load_or_resume()

    def build_model(self, model):
        with held_back_log_lines(EMA_CONVENTION_WARNING):
            return super().build_model(model)

    def build_optim_wrapper(self, optim_wrapper):
        with held_back_log_lines(FROZEN_PARAM, PARAMWISE_OPTION) as lines:
            wrapper = super().build_optim_wrapper(optim_wrapper)
        frozen = [m.group(1) for m in lines if m.re.pattern == FROZEN_PARAM]
        if frozen:
            modules = Counter(name.split('.')[0] for name in frozen)
            self.logger.info('optimizer: frozen tensors left out (requires_grad=False): ' + ', '.join(
                f'{count} of {module}' for module, count in modules.items()))
        options = Counter(f'{m.group(2)}={m.group(3)}' for m in lines if m.re.pattern == PARAMWISE_OPTION)
        if options:
            self.logger.info('optimizer: paramwise_cfg options by number of tensors: ' + ', '.join(
                f'{option} x{count}' for option, count in sorted(options.items())))
        return wrapper

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
