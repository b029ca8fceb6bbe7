import torch
import torch.distributed as dist
from torch import Tensor, nn
from torch.distributed.nn.functional import all_reduce


class CPUSyncBatchNorm(nn.modules.batchnorm._BatchNorm):
    """Synchronized batch norm that works on CPUs with the gloo backend.

    torch's ``SyncBatchNorm`` refuses CPU tensors once a process group exists. This layer all-reduces
    each channel's sum, sum of squares and count with torch's autograd-aware ``all_reduce``, so the
    statistics (and their gradients) are those of the global batch, as with SyncBN on GPUs: a run on
    N processes with batch b each computes what one process computes with batch N x b. Without a
    process group, or in eval mode, it is plain batch norm.
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() < 2:
            raise ValueError(f'expected at least 2D input (N, C, ...), got {input.dim()}D')

    def forward(self, x: Tensor) -> Tensor:
        if not (self.training and dist.is_initialized() and dist.get_world_size() > 1):
            return super().forward(x)
        channels = x.size(1)
        dims = [0, *range(2, x.dim())]
        stats = torch.cat([x.sum(dims), (x * x).sum(dims), x.new_full((1,), x.numel() / channels)])
        stats = all_reduce(stats)  # (2C + 1,): global sums and count
        count = stats[-1]
        mean = stats[:channels] / count  # (C,)
        var = stats[channels:2 * channels] / count - mean * mean  # (C,), biased
        if self.track_running_stats:
            self._update_running_stats(mean.detach(), var.detach() * count / (count - 1).clamp(min=1))
        shape = (1, channels) + (1, ) * (x.dim() - 2)
        y = (x - mean.view(shape)) * torch.rsqrt(var.view(shape) + self.eps)
        if self.affine:
            y = y * self.weight.view(shape) + self.bias.view(shape)
        return y

    @torch.no_grad()
    def _update_running_stats(self, mean: Tensor, unbiased_var: Tensor) -> None:
        self.num_batches_tracked += 1
        factor = 1.0 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
        self.running_mean.lerp_(mean, factor)
        self.running_var.lerp_(unbiased_var, factor)


def convert_sync_batchnorm_for_cpu(module: nn.Module) -> nn.Module:
    """Replace every ``nn.SyncBatchNorm`` in ``module`` by :class:`CPUSyncBatchNorm`, sharing its
    parameters (and their ``requires_grad``) and buffers."""
    if isinstance(module, nn.SyncBatchNorm):
        converted = CPUSyncBatchNorm(module.num_features, module.eps, module.momentum, module.affine,
                                     module.track_running_stats)
        if module.affine:
            converted.weight, converted.bias = module.weight, module.bias
        if module.track_running_stats:
            converted.running_mean, converted.running_var = module.running_mean, module.running_var
            converted.num_batches_tracked = module.num_batches_tracked
        converted.train(module.training)
        return converted
    for name, child in module.named_children():
        module.add_module(name, convert_sync_batchnorm_for_cpu(child))
    return module
