import torch
import torch.nn.functional as F
from mmengine.dist import all_gather
from torch import Tensor, nn


class MomentumQueue(nn.Module):
    """MoCo's dictionary: a FIFO of unit keys from earlier iterations, the negatives k- (App. B.2).

    The queue handling of mmselfsup's ``MoCo`` / ``DenseCL._dequeue_and_enqueue`` as one module, so the
    MoCo-based MultiSiam keeps two (image-level and 2D): each ``push`` gathers the keys of all ranks
    (mmengine's ``all_gather``, rank order) and overwrites the oldest entries, wrapping around the end.
    Push after the loss is computed, so that the negatives are always other images' keys. Unlike
    mmselfsup, ``length`` need not be a multiple of the keys pushed per iteration.

    Args:
        length: number of keys kept (``model.queue_len``).
        dim: key channels (``model.feat_dim``).
    """

    def __init__(self, length: int, dim: int) -> None:
        super().__init__()
        if length < 1 or dim < 1:
            raise ValueError(f'model.queue_len and model.feat_dim must be >= 1, got {length} and {dim}')
        self.length = length
        self.dim = dim
        self.register_buffer('keys', F.normalize(torch.randn(length, dim), dim=1))  # (length, dim)
        self.register_buffer('ptr', torch.zeros(1, dtype=torch.long))  # next row to overwrite

    def negatives(self) -> Tensor:
        """The keys ``(length, dim)`` as a detached copy, safe to use in a loss before ``push``."""
        return self.keys.clone().detach()

    @torch.no_grad()
    def push(self, keys: Tensor) -> None:
        """Enqueue this iteration's ``(B, dim)`` unit keys of every rank, dequeuing the oldest."""
        if keys.dim() != 2 or keys.size(1) != self.dim:
            raise ValueError(f'keys must be (B, {self.dim}) to match model.feat_dim={self.dim} (set it to '
                             f"the projectors' out_channels), got {tuple(keys.shape)}")
        keys = torch.cat(all_gather(keys.detach()))  # (world_size * B, dim), rank 0 first
        num = keys.size(0)
        if num > self.length:
            raise ValueError(f'model.queue_len must be >= the keys pushed per iteration (batch size x '
                             f'GPUs = {num}), got {self.length}')
        ptr = int(self.ptr)
        rows = (ptr + torch.arange(num, device=self.keys.device)) % self.length  # (num,), wraps around
        self.keys[rows] = keys.to(self.keys)
        self.ptr[0] = (ptr + num) % self.length
