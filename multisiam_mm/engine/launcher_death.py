"""Trainers stop when their launcher dies, instead of training on detached from it."""
import ctypes
import os
import signal
import sys


def stop_with_launcher() -> None:
    """Have the kernel send this process SIGTERM when its parent (the launcher, e.g. torchrun) dies.

    A launcher killed with SIGKILL cannot pass anything on, and its trainers, in sessions of their own,
    would train on detached from it and write into a work dir that a ``--resume`` started next would use.
    With ``PR_SET_PDEATHSIG`` the SIGTERM reaches :class:`PreemptionHook`, which checkpoints and exits 143.
    Linux only (elsewhere a no-op); raises ``SystemExit`` if the launcher is already gone.
    """
    if not sys.platform.startswith('linux'):
        return
    launcher = os.getppid()
    PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'prctl(PR_SET_PDEATHSIG) failed')
    if os.getppid() != launcher:  # died before the request took effect
        raise SystemExit('the launcher of this trainer exited before training started')
