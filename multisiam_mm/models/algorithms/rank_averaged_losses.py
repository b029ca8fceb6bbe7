from collections import OrderedDict

import torch
import torch.distributed as dist
from torch import Tensor


class RankAveragedLossesMixin:
    """mmengine's ``parse_losses`` with the logged values averaged over ranks.

    Each rank still trains on its local loss (DDP averages the gradients); only the log changes: it
    shows the loss of the global batch, the figure one process with that batch would print, instead of
    rank 0's share. Costs one small all-reduce per iteration.
    """

    def parse_losses(self, losses: dict[str, Tensor]) -> tuple[Tensor, dict[str, Tensor]]:
        loss, log_vars = super().parse_losses(losses)
        if dist.is_initialized() and dist.get_world_size() > 1:
            values = torch.stack([value.detach().float() for value in log_vars.values()])
            dist.all_reduce(values)
            log_vars = OrderedDict(zip(log_vars, values / dist.get_world_size()))
        return loss, log_vars
