from typing import Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from ..models.utils.cosine_ema import cosine_momentum
from ..registry import HOOKS
from .pretrain_runner import accumulative_counts


@HOOKS.register_module()
class OptimStepEMAHook(Hook):
    """Move the target network once per optimizer step, also under gradient accumulation.

    BYOL's target is xi <- tau xi + (1 - tau) theta after every parameter update, with tau rising on a
    cosine from the base momentum to 1 over the K updates (BYOL; paper Sec. 4.1). The model's
    ``CosineEMA`` (``multisiam_mm.models.utils``) moves inside ``loss()``, i.e. once per forward. With ``optim_wrapper.
    accumulative_counts = n`` (the paper's ablations: batch 1024, "parameters updated every four
    iterations to mimic a batch size of 4096", Sec. 4.3) that would move the target n times per update
    with unchanged online weights, i.e. with momentum tau^n. Before training, this hook sets the
    model's ``target_net.interval`` (mmengine's ``BaseAveragedModel`` update interval) to n: the target
    then moves at the first forward of each accumulation window only, with the momentum of
    ``steps / max_iters`` = (update index) / K, so the momentum sequence per optimizer step equals the
    one of a run without accumulation over the same K updates.

    After each iteration it logs the momentum of the target's latest move as ``ema_momentum`` (in the
    progress line and ``scalars.json``; ``tools/analysis/plot_logs.py`` draws it).

    Models without a ``target_net`` (e.g. a plain classifier) are left alone.
    """

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self.target_net = None

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        self.target_net = getattr(model, 'target_net', None)
        if self.target_net is None:
            return
        self.target_net.interval = accumulative_counts(runner.optim_wrapper)
        if self.target_net.interval > 1:
            print_log(f'OptimStepEMAHook: gradient accumulation over {self.target_net.interval} iterations; '
                      'the target network moves once per optimizer step', logger='current')

    def after_train_iter(self, runner, batch_idx: int, data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        if hasattr(self.target_net, 'end_momentum'):  # a cosine EMA: the core's or a host's
            runner.message_hub.update_scalar('train/ema_momentum',
                                             latest_momentum(self.target_net, runner.max_iters))


def latest_momentum(target_net, max_iters: int) -> float:
    """The momentum of the target's latest move: :func:`cosine_momentum` at the step k of that move (the last
    multiple of the interval before ``target_net.steps``); the base before any move. In the EMA's own
    convention: tau for the core's and mmselfsup's ``CosineEMA``, 1 - tau for mmpretrain's (its BYOL)."""
    steps = int(target_net.steps) - 1  # the step counter of the latest call
    moved_at = steps - steps % target_net.interval
    if moved_at <= 0:
        return target_net.momentum
    return cosine_momentum(target_net.momentum, target_net.end_momentum, moved_at, max_iters)
