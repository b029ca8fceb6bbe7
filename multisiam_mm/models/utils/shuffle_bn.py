"""MoCo's shuffling BN: the key encoder sees a batch shuffled across ranks (He et al., 2020, Sec. 3.3)."""
import torch
from mmengine.dist import all_gather, broadcast, get_rank
from torch import Tensor


@torch.no_grad()
def batch_shuffle(x: Tensor) -> tuple[Tensor, Tensor]:
    """This rank's share of all ranks' ``x`` after one permutation drawn on rank 0.

    The arithmetic of both hosts' ``batch_shuffle_ddp`` (mmselfsup 1.0, mmpretrain 1.2), restated with
    mmengine's collectives so the core imports no host. Without a process group it permutes the batch.

    Returns:
        the shuffled ``(B, ...)`` share and the index that restores the gathered order (for
        :func:`batch_unshuffle`).
    """
    gathered = torch.cat(all_gather(x))  # (world_size * B, ...), rank 0 first
    idx_shuffle = torch.randperm(gathered.size(0))  # on the CPU generator, as the hosts draw it
    broadcast(idx_shuffle, src=0)
    idx_unshuffle = torch.argsort(idx_shuffle)
    return gathered[idx_shuffle.view(-1, x.size(0))[get_rank()]], idx_unshuffle


@torch.no_grad()
def batch_unshuffle(x: Tensor, idx_unshuffle: Tensor) -> Tensor:
    """This rank's original samples back from every rank's shuffled share: the inverse of :func:`batch_shuffle`."""
    gathered = torch.cat(all_gather(x))  # (world_size * B, ...)
    return gathered[idx_unshuffle.view(-1, x.size(0))[get_rank()]]
