"""The optimizer over the online network: the EMA target is left out whole, not tensor by tensor."""
import logging
from typing import Optional

from mmengine.logging import print_log
from mmengine.optim import DefaultOptimWrapperConstructor
from mmselfsup.registry import OPTIM_WRAPPER_CONSTRUCTORS
from torch import nn


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class OnlineOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """mmengine's default constructor (``paramwise_cfg`` and all), for a model with a momentum target.

    BYOL's and MultiSiam's target network (``target_net``, an EMA of the online one) has no trainable
    parameter: the default constructor visits each of its tensors and warns that it is skipped (70 lines
    for a ResNet-18 MultiSiam, 320 for a ResNet-50). This one leaves out every sub-module without a
    trainable parameter before descending into it, and says so in one line per module. What is optimized is
    unchanged. Select it with ``optim_wrapper.constructor='OnlineOptimWrapperConstructor'`` (the schedules
    in ``configs/_base_/schedules/`` do).
    """

    def add_params(self, params: list, module: nn.Module, prefix: str = '',
                   is_dcn_module: Optional[bool] = None) -> None:
        if prefix and not any(param.requires_grad for param in module.parameters()):
            count = sum(1 for _ in module.parameters())
            if count:
                print_log(f'optimizer: {prefix} left out ({count} tensors, none trainable)', logger='current',
                          level=logging.INFO)
            return
        super().add_params(params, module, prefix, is_dcn_module)
