import atexit
import multiprocessing
import os
import signal
from functools import partial
from typing import Callable, Optional, Sequence

import torch
from mmengine.dist import all_reduce, barrier
from mmengine.hooks import Hook
from mmengine.logging import print_log
from ..registry import HOOKS

from .iter_checkpoint_hook import save_iteration_checkpoint

# the status of a process ended by SIGTERM (128 + 15): schedulers read it as "stopped", not "failed"
EXIT_PREEMPTED = 128 + signal.SIGTERM


class Preempted(SystemExit):
    """Raised on every rank after the preemption checkpoint is written; exits with :data:`EXIT_PREEMPTED`."""

    def __init__(self) -> None:
        super().__init__(EXIT_PREEMPTED)


def leave_signals_to_main_process(signals: Sequence[int], exiting, worker_init_fn: Optional[Callable],
                                  worker_id: int) -> None:
    """A dataloader worker's init: take ``signals`` only once the main process is exiting, then run the
    loader's own ``worker_init_fn``.

    Slurm, ``timeout`` and ``kill -- -PGID`` signal every process of the job, dataloader workers included;
    a worker that died of SIGTERM would end the run ("DataLoader worker ... is killed by signal") before
    the main process could save. So a worker ignores the signal while the run lives. ``exiting`` (a shared
    flag the main process sets at exit, :meth:`PreemptionHook.before_train`) restores the default: the
    ``terminate()`` that multiprocessing sends its daemonic children at exit still ends them, whichever way
    the main process exits (a finished run, a preemption, a crash).
    """
    def on_signal(signum: int, frame) -> None:
        if exiting.value:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    for signum in signals:
        signal.signal(signum, on_signal)
    if worker_init_fn is not None:
        worker_init_fn(worker_id)


def stop_persistent_workers(loader) -> None:
    """Shut down ``loader``'s persistent workers now, the way its iterator does when it is freed (a clean
    stop: no "worker killed by signal" report at exit). torch keeps the persistent iterator in the private
    ``DataLoader._iterator`` and offers no public way to stop it (docs/install.md); a non-persistent
    iterator is freed as the loop unwinds.
    """
    iterator = getattr(loader, '_iterator', None)
    if iterator is not None:
        iterator._shutdown_workers()


@HOOKS.register_module()
class PreemptionHook(Hook):
    """Stop cleanly when the scheduler asks: finish the iteration, checkpoint, exit with 143.

    Slurm preempts with SIGTERM (or the signal of ``--signal``, e.g. ``USR1@120``) to every process of the
    job and kills with SIGKILL after a grace period; torchrun passes SIGTERM on to its workers. The
    handler only records the signal; dataloader workers leave it to the main process
    (:func:`leave_signals_to_main_process`), so they live until it has saved and shuts them down.
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
        exiting = multiprocessing.RawValue('b', 0)  # inherited by the workers, which fork after this hook
        atexit.register(setattr, exiting, 'value', 1)  # runs before multiprocessing's exit handler (LIFO)
        loader = runner.train_dataloader
        loader.worker_init_fn = partial(leave_signals_to_main_process, tuple(self.signals), exiting,
                                        loader.worker_init_fn)

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
        stop_persistent_workers(runner.train_dataloader)
        print_log(f'preempted: saved {path} after iteration {runner.iter + 1}; exiting with status '
                  f'{EXIT_PREEMPTED}. Continue with --resume.', logger='current')
        raise Preempted()
