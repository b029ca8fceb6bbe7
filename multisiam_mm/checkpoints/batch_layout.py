"""Does a checkpoint's batch layout allow ``--resume`` here? Checked before anything is resumed.

A run's position is counted in iterations: the checkpoint's ``iter``, the parameter schedulers' steps (their
warm-up and cosine ends were converted from epochs with the old iterations per epoch), the sampler's offset
inside the epoch (batches done x batch per process), and the lr that ``auto_scale_lr`` derived from the
total batch. All of them carry over exactly when **the total batch** (per-process batch x processes x
accumulated iterations) is the same, whatever the number of processes: an epoch then has the same
iterations, and the samples a resumed epoch leaves out are the first ``iterations x total batch`` of the epoch's
permutation for any split of that permutation over ranks (``SeededSampler``). So a run moves from 2
processes to 1 by doubling the per-process batch, and back, with the same schedule and samples (the weights
then differ as a 1-process run differs from a 2-process one: by the order of float reductions). With another total batch every one of
those would have to be re-derived, and the recipe itself (LARS lr, BN statistics, EMA steps) would no longer
be the one the run started with; such a resume is refused before training, naming the settings that
resume exactly. (Fresh training with another batch: ``load_from`` the weights, without ``--resume``.)

Checkpoints record their layout in ``meta['batch_layout']``; older checkpoints are read from the config
text and the message hub mmengine saves in every checkpoint (``max_iters`` / ``max_epochs``).
"""
from typing import Optional

import torch
from mmengine.config import Config

KEYS = ('batch_size', 'world_size', 'accumulative_counts', 'iters_per_epoch')


def batch_layout(batch_size: int, world_size: int, accumulative_counts: int, iters_per_epoch: int) -> dict:
    """The layout a checkpoint records: per-process batch, processes, accumulation, iterations per epoch."""
    return dict(zip(KEYS, (batch_size, world_size, accumulative_counts, iters_per_epoch)))


def total_batch_size(batch_size: int, world_size: int, accumulative_counts: int) -> int:
    """Images behind one optimizer step: per-process batch x processes x accumulated iterations."""
    return batch_size * world_size * accumulative_counts


def total_batch(layout: dict) -> int:
    """:func:`total_batch_size` of a layout."""
    return total_batch_size(layout['batch_size'], layout['world_size'], layout['accumulative_counts'])


def recorded_layout(checkpoint: dict) -> Optional[dict]:
    """The checkpoint's layout: ``meta['batch_layout']``, or for a checkpoint written before it was
    recorded, the per-process batch and accumulation of its config and its iterations per epoch
    (``max_iters / max_epochs`` in the message hub); its number of processes is then unknown (None)."""
    meta = checkpoint.get('meta', {})
    if 'batch_layout' in meta:
        return meta['batch_layout']
    info = checkpoint.get('message_hub', {}).get('runtime_info', {})
    if not info.get('max_epochs') or 'cfg' not in meta:
        return None
    cfg = Config.fromstring(meta['cfg'], file_format='.py')
    return batch_layout(cfg.train_dataloader.batch_size, None, cfg.optim_wrapper.get('accumulative_counts', 1),
                        info['max_iters'] // info['max_epochs'])


def describe(layout: dict) -> str:
    processes = '?' if layout['world_size'] is None else layout['world_size']
    return (f"{layout['batch_size']} per process x {processes} processes x {layout['accumulative_counts']} "
            f"accumulated, {layout['iters_per_epoch']} iterations an epoch")


def check_resume_layout(path: str, current: dict) -> Optional[str]:
    """Raise ``ValueError`` when the checkpoint at ``path`` cannot continue its schedule in the ``current``
    layout (another total batch).

    Returns a line for the log when the number of processes changed with the same total batch, else None.
    """
    old = recorded_layout(torch.load(path, map_location='cpu', mmap=True))
    if old is None:
        return None
    same_total = old['iters_per_epoch'] == current['iters_per_epoch'] and (
        old['world_size'] is None or total_batch(old) == total_batch(current))
    if same_total:
        if old['world_size'] in (None, current['world_size']):
            return None
        return (f'resuming on {current["world_size"]} processes a run of {old["world_size"]}: the same total '
                f'batch ({describe(old)} before, {describe(current)} now), so the lr, the schedule and the '
                'position in the epoch carry over exactly')
    fixes = []
    if old['world_size'] is not None:
        fixes.append(f'resume on {old["world_size"]} processes with train_dataloader.batch_size='
                     f'{old["batch_size"]}')
        per_process, remainder = divmod(total_batch(old),
                                        current['world_size'] * current['accumulative_counts'])
        if not remainder:
            fixes.append(f'keep the total batch on {current["world_size"]} processes: --cfg-options '
                         f'train_dataloader.batch_size={per_process}')
    fixes.append('or start a new run from its weights: load_from=CHECKPOINT without --resume')
    raise ValueError(
        f'--resume {path}: the checkpoint was trained with {describe(old)}, this run has {describe(current)}. '
        'The iteration counts of its lr schedule and of its position inside the epoch, and the lr itself, '
        'only carry over with the same total batch (docs/reliability.md). Either ' + '; '.join(fixes)
        + '. Nothing was trained.')
