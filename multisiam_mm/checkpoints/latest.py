import glob
import logging
import os.path as osp
from typing import Optional

import torch
from mmengine.logging import print_log


def loads(path: str) -> bool:
    """True when ``path`` is a complete checkpoint (torch's safe loader can read it)."""
    try:
        torch.load(path, map_location='cpu', mmap=True)
    except Exception:  # noqa: BLE001  any failure means: not a usable checkpoint
        return False
    return True


def latest_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint ``--resume`` continues from: ``last_checkpoint``'s entry if it loads, otherwise
    the newest checkpoint in ``work_dir`` that loads, otherwise None.

    mmengine trusts ``last_checkpoint`` blindly; a run killed while writing it (or while writing a
    checkpoint with a non-atomic backend) would silently start from scratch or crash on resume.
    """
    pointer = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as f:
            named = f.read().strip()
        if named and osp.isfile(named) and loads(named):
            return named
        print_log(f'{pointer} names {named!r}, which does not load; looking for the newest complete '
                  'checkpoint instead', logger='current', level=logging.WARNING)
    candidates = sorted(glob.glob(osp.join(work_dir, '*.pth')), key=osp.getmtime, reverse=True)
    return next((path for path in candidates if loads(path)), None)
