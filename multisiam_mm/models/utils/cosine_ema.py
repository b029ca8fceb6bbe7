"""The target network of BYOL and MultiSiam: an EMA of the online network with a cosine momentum schedule."""
import math
from typing import Optional

import torch
from mmengine.logging import MessageHub
from mmengine.model import ExponentialMovingAverage
from torch import Tensor, nn


def cosine_momentum(base: float, end: float, step: int, total: int) -> float:
    """BYOL's tau_k = end - (end - base) (cos(pi k / K) + 1) / 2 (paper Sec. 4.1): ``base`` at k=0, ``end`` at K."""
    return end - (end - base) * (math.cos(math.pi * step / total) + 1) / 2


class CosineEMA(ExponentialMovingAverage):
    """xi <- tau xi + (1 - tau) theta, tau rising from ``momentum`` to ``end_momentum`` (:func:`cosine_momentum`).

    ``momentum`` is the paper's (and mmselfsup's) tau, the weight the average keeps: 0.99 to 0.996 in BYOL's
    and MultiSiam's recipes. mmengine's and mmpretrain's ``CosineEMA`` name the other weight, 1 - tau;
    the host-free core keeps one convention, the paper's. K is the run's ``max_iters`` (mmengine's message
    hub). mmengine's ``ExponentialMovingAverage`` does the rest (``module``, ``steps``, ``interval``), so the
    state-dict keys are those of both hosts' ``CosineEMA``: ``target_net.module.*``, ``target_net.steps``.

    Args:
        model: the online network to average.
        momentum: tau at the first step. Defaults to 0.996 (BYOL).
        end_momentum: tau at the last step. Defaults to 1.
        interval: steps between moves (mmengine's). Defaults to 1.
        device: where the average lives. Defaults to the model's device.
        update_buffers: average the buffers too. Defaults to False.
    """

    def __init__(self, model: nn.Module, momentum: float = 0.996, end_momentum: float = 1., interval: int = 1,
                 device: Optional[torch.device] = None, update_buffers: bool = False) -> None:
        if not (0 < momentum < 1 and 0 <= end_momentum <= 1):
            raise ValueError('base_momentum must be in (0, 1) and end_momentum in [0, 1] (tau, the weight the '
                             f'target keeps, e.g. 0.996 and 1.0), got {momentum} and {end_momentum}')
        super().__init__(model, momentum=momentum, interval=interval, device=device, update_buffers=update_buffers)
        self.end_momentum = end_momentum

    def momentum_at(self, step: int, max_iters: int) -> float:
        """tau at ``step`` of ``max_iters``."""
        return cosine_momentum(self.momentum, self.end_momentum, step, max_iters)

    def avg_func(self, averaged_param: Tensor, source_param: Tensor, steps: int) -> None:
        momentum = self.momentum_at(steps, MessageHub.get_current_instance().get_info('max_iters'))
        averaged_param.mul_(momentum).add_(source_param, alpha=1 - momentum)
