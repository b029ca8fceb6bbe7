"""One run per work dir: a second run into a work dir that a live run holds is refused, naming it.

Two runs in one work dir overwrite each other's checkpoints and ``last_checkpoint``, and a ``--resume``
started beside a run that is still alive (say, trainers whose launcher died) would continue from a
checkpoint the other run is about to replace. The lock is ``flock`` on ``WORK_DIR/.run.lock``, held by the
run's rank 0 for as long as its process lives: the kernel releases it however the process ends, so a run
killed by SIGKILL or the OOM killer leaves nothing that blocks ``--resume`` (the file stays; only a live
holder counts). The file holds the holder's host, pid and start time, for the message. Within one
process the lock is shared: runners built one after another in one work dir (a run, then its evaluation,
or tests) are one process's business.
"""
import fcntl
import os
import os.path as osp
import socket
import time
from typing import IO

LOCK_FILE = '.run.lock'
_HELD: dict[str, IO] = {}  # lock file path -> the open file holding it, in this process


class WorkDirInUse(RuntimeError):
    """Raised when another live process holds the work dir."""


def hold_work_dir(work_dir: str) -> IO:
    """Take ``work_dir``'s run lock and return the open lock file (keep it: closing it releases the lock).

    Raises:
        WorkDirInUse: a live process holds it; the message names that process and the ways on.
    """
    os.makedirs(work_dir, exist_ok=True)
    path = osp.realpath(osp.join(work_dir, LOCK_FILE))
    if path in _HELD and not _HELD[path].closed:
        return _HELD[path]
    lock = open(path, 'a+')
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or 'another process'
        lock.close()
        raise WorkDirInUse(
            f'work_dir {work_dir} is in use by a live run ({holder}; lock {path}). Wait for it to end, stop '
            f'it (kill -TERM writes a checkpoint; --resume continues it), or pass another --work-dir. '
            'Nothing was trained.') from None
    lock.seek(0)
    lock.truncate()
    lock.write(f'host {socket.gethostname()}, pid {os.getpid()}, since {time.strftime("%Y-%m-%d %H:%M:%S")}\n')
    lock.flush()
    _HELD[path] = lock
    return lock
