import signal
from typing import Optional, Sequence

import torch
from mmengine.dist import all_reduce, barrier
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmselfsup.registry import HOOKS

from .iter_checkpoint_hook import save_iteration_checkpoint

# the status of a process ended by SIGTERM (128 + 15): schedulers read it as "stopped", not "failed"
EXIT_PREEMPTED = 128 + signal.SIGTERM


class Preempted(SystemExit):
    """Raised on every rank after the preemption checkpoint is written; exits with :data:`EXIT_PREEMPTED`."""

    def __init__(self) -> None:
        super().__init__(EXIT_PREEMPTED)


@HOOKS.register_module()
class PreemptionHook(Hook):
    """Stop cleanly when the scheduler asks: finish the iteration, checkpoint, exit with 143.

    Slurm preempts with SIGTERM (or the signal of ``--signal``, e.g. ``USR1@120``) and kills with SIGKILL
    after a grace period; torchrun passes SIGTERM on to its workers. The handler only records the signal.
    After each iteration every rank learns whether any rank was signalled (a one-number all-reduce), so
    all ranks stop after the same iteration; with gradient accumulation they first finish the current
    accumulation window, so the checkpoint falls on an optimizer step and the resumed run repeats
    nothing. Rank 0 then writes ``iter_{n}.pth`` and ``last_checkpoint`` atomically, all ranks meet at a
    barrier and exit with status :data:`EXIT_PREEMPTED` (143). ``--resume`` (which ``tools/slurm_train.sh``
    passes) continues at iteration n + 1. Further signals while stopping are logged and ignored, so a
    second SIGTERM cannot interrupt the save; SIGKILL cannot corrupt it either (atomic writes).

    Args:
        signals: names of the signals that mean "stop". Defaults to SIGTERM and SIGUSR1.
    """

    priority = 'LOWEST'  # after the NaN guard and the checkpoint hooks of the same iteration

    def __init__(self, signals: Sequence[str] = ('SIGTERM', 'SIGUSR1')) -> None:
        self.signals = [getattr(signal, name) for name in signals]
        self.received: Optional[int] = None

    def _on_signal(self, signum: int, frame) -> None:
        if self.received is None:
            self.received = signum
            print_log(f'{signal.Signals(signum).name} received: stopping after this iteration with a '
                      'checkpoint', logger='current')
        else:
            print_log(f'{signal.Signals(signum).name} received again: already stopping', logger='current')

    def before_train(self, runner) -> None:
        for signum in self.signals:
            signal.signal(signum, self._on_signal)

    def _any_rank_received(self) -> bool:
        flag = torch.tensor([0 if self.received is None else 1])
        all_reduce(flag, op='max')  # a no-op without a process group
        return bool(flag.item())

    def after_train_iter(self, runner, batch_idx: int, data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        if not self._any_rank_received() or not runner.optim_wrapper.should_update():
            return
        path = save_iteration_checkpoint(runner)
        barrier()
        print_log(f'preempted: saved {path} after iteration {runner.iter + 1}; exiting with status '
                  f'{EXIT_PREEMPTED}. Continue with --resume.', logger='current')
        raise Preempted()
