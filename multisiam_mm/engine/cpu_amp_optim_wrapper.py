from contextlib import contextmanager

import torch
from mmengine.optim import OptimWrapper
from mmengine.registry import OPTIM_WRAPPERS
from torch import nn


@OPTIM_WRAPPERS.register_module()
class CPUAmpOptimWrapper(OptimWrapper):
    """Mixed precision on CPUs: the forward pass runs under bfloat16 autocast.

    mmengine's ``AmpOptimWrapper`` refuses to start without a GPU. bfloat16 has float32's exponent
    range, so no loss scaling is needed; parameters, gradients and the optimizer stay in float32.
    ``tools/train.py --amp`` selects this wrapper when no CUDA device is present.
    """

    @contextmanager
    def optim_context(self, model: nn.Module):
        with super().optim_context(model), torch.autocast('cpu', dtype=torch.bfloat16):
            yield
