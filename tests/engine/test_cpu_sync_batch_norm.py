import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

from multisiam_mm.engine import CPUSyncBatchNorm, convert_sync_batchnorm_for_cpu


def batch() -> torch.Tensor:
    return torch.randn(4, 3, 5, 5, generator=torch.Generator().manual_seed(0)) * 3 + 1


def reference() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Plain BN over the whole batch of 4: output, input gradient, running mean."""
    bn = nn.BatchNorm2d(3)
    nn.init.uniform_(bn.weight, generator=torch.Generator().manual_seed(1))
    x = batch().requires_grad_()
    out = bn(x)
    (out * torch.arange(out.numel()).view_as(out)).sum().backward()  # an asymmetric loss
    return out.detach(), x.grad, bn.running_mean


def run_rank(rank: int, port: int, path: str) -> None:
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=2)
    bn = CPUSyncBatchNorm(3)
    nn.init.uniform_(bn.weight, generator=torch.Generator().manual_seed(1))
    x = batch()[rank * 2:rank * 2 + 2].clone().requires_grad_()  # each rank holds half the batch
    out = bn(x)
    weights = torch.arange(4 * 75).view(4, 3, 5, 5)[rank * 2:rank * 2 + 2]
    (out * weights).sum().backward()
    torch.save(dict(out=out.detach(), grad=x.grad, running_mean=bn.running_mean), f'{path}.{rank}')
    dist.destroy_process_group()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_two_processes_with_half_batches_equal_one_process_with_the_whole(tmp_path):
    mp.spawn(run_rank, args=(free_port(), str(tmp_path / 'rank')), nprocs=2)
    ranks = [torch.load(tmp_path / f'rank.{r}') for r in range(2)]
    out, grad, running_mean = reference()
    assert torch.allclose(torch.cat([r['out'] for r in ranks]), out, atol=1e-5)
    assert torch.allclose(torch.cat([r['grad'] for r in ranks]), grad, atol=1e-4)
    assert torch.allclose(ranks[0]['running_mean'], running_mean, atol=1e-6)
    assert torch.allclose(ranks[1]['running_mean'], running_mean, atol=1e-6)


def test_without_a_process_group_it_is_plain_batch_norm():
    x = batch()
    assert torch.allclose(CPUSyncBatchNorm(3)(x), nn.BatchNorm2d(3)(x), atol=1e-6)


def test_conversion_shares_parameters_and_keeps_frozen_flags():
    model = nn.Sequential(nn.Conv2d(3, 3, 1), nn.SyncBatchNorm(3))
    model[1].weight.requires_grad_(False)
    weight = model[1].weight
    converted = convert_sync_batchnorm_for_cpu(model)
    assert isinstance(converted[1], CPUSyncBatchNorm)
    assert converted[1].weight is weight and not converted[1].weight.requires_grad
