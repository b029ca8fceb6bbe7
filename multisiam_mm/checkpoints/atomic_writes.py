"""Checkpoints that are complete or absent: an atomic file backend for mmengine's checkpoint writers.

mmengine 0.10.7's ``LocalBackend`` writes a checkpoint straight to its final name, so a process killed
while saving leaves a truncated file that ``--resume`` then loads. :class:`AtomicLocalBackend` writes to a
temporary file beside the target, fsyncs it and renames it into place. It is registered under its own
name, ``atomic_local`` (mmengine's ``local`` backend is left as it is); the runtime config selects it for
the checkpoint hook (``default_hooks.checkpoint.backend_args=ATOMIC_BACKEND``) and the plugin's own hooks
save through it.
"""
import os
import os.path as osp
import tempfile
from pathlib import Path
from typing import Union

import mmengine
from mmengine.fileio import LocalBackend, register_backend

#: ``backend_args`` that select :class:`AtomicLocalBackend` (mmengine's checkpoint hook, ``save_checkpoint``)
ATOMIC_BACKEND = dict(backend='atomic_local')


def write_atomically(data: bytes, filepath: Union[str, Path]) -> None:
    """Write ``data`` to a temporary file beside ``filepath``, fsync it, then rename it into place.

    A process killed at any moment leaves either the old file or the complete new one, never a
    truncated file under the final name (``os.replace`` is atomic on POSIX and Windows).
    """
    folder = osp.dirname(osp.abspath(filepath))
    mmengine.mkdir_or_exist(folder)
    fd, tmp_path = tempfile.mkstemp(dir=folder, prefix=f'.{osp.basename(filepath)}.', suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_path, filepath)
    except BaseException:
        if osp.exists(tmp_path):
            os.remove(tmp_path)
        raise


@register_backend(ATOMIC_BACKEND['backend'])
class AtomicLocalBackend(LocalBackend):
    """mmengine's local file backend with atomic writes, so that checkpoints are all-or-nothing."""

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        write_atomically(obj, filepath)

    def put_text(self, obj: str, filepath: Union[str, Path], encoding: str = 'utf-8') -> None:
        write_atomically(obj.encode(encoding), filepath)
