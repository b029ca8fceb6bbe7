import math
from typing import Optional

import torch
from mmengine.hooks import Hook
from ..registry import HOOKS


@HOOKS.register_module()
class NaNGuardHook(Hook):
    """Stop training at the first non-finite loss term, before any checkpoint can store poisoned weights.

    Runs after every training iteration with a higher priority than ``CheckpointHook`` and raises a
    ``FloatingPointError`` naming the iteration and the offending terms (e.g. ``loss_2d``).
    """

    priority = 'ABOVE_NORMAL'

    def after_train_iter(self, runner, batch_idx: int, data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        terms = {name: float(value.detach() if isinstance(value, torch.Tensor) else value)
                 for name, value in (outputs or {}).items() if name.startswith('loss')}
        bad = {name: value for name, value in terms.items() if not math.isfinite(value)}
        if bad:
            raise FloatingPointError(
                f'non-finite loss at iteration {runner.iter + 1} (epoch {runner.epoch + 1}): '
                + ', '.join(f'{name}={value}' for name, value in bad.items())
                + '; stopped before saving a checkpoint. Resume from the last good one with --resume, '
                'and lower the learning rate or check the data.')
