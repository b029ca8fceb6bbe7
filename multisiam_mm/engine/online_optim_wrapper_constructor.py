"""The optimizer over the online network: the EMA target is left out whole, not tensor by tensor."""
import logging
from typing import Optional

from mmengine.logging import print_log
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapper
from ..registry import OPTIM_WRAPPER_CONSTRUCTORS
from torch import nn

from .quiet_log import detail_at_debug


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class OnlineOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """mmengine's default constructor (``paramwise_cfg`` and all), for a model with a momentum target.

    BYOL's and MultiSiam's target network (``target_net``, an EMA of the online one) has no trainable
    parameter: the default constructor visits each of its tensors and warns that it is skipped (70 lines
    for a ResNet-18 MultiSiam, 320 for a ResNet-50). This one leaves out every sub-module without a
    trainable parameter before descending into it, and says so in one line per module. mmengine's
    ``paramwise_options -- <tensor>:<key>=<value>`` line per tensor (over 200 for a ResNet-18 MultiSiam)
    is logged only at ``log_level='DEBUG'``; at INFO one line says what ``paramwise_cfg`` applied to how
    many tensors. What is optimized is unchanged. Select it with ``optim_wrapper.constructor='OnlineOptimWrapperConstructor'`` (the schedules
    in ``configs/_base_/schedules/`` do).
    """

    def __call__(self, model: nn.Module) -> OptimWrapper:
        self.left_out = []  # (module prefix, tensors)
        with detail_at_debug() as detailed:
            optim_wrapper = super().__call__(model)
        for prefix, count in self.left_out:
            print_log(f'optimizer: {prefix} left out ({count} tensors, none trainable)', logger='current',
                      level=logging.INFO)
        if self.paramwise_cfg and not detailed:
            tensors = sum(len(group['params']) for group in optim_wrapper.optimizer.param_groups)
            print_log(f'optimizer: paramwise_cfg {dict(self.paramwise_cfg)} applied over {tensors} tensors '
                      "(each tensor's options at log_level='DEBUG')", logger='current', level=logging.INFO)
        return optim_wrapper

    def add_params(self, params: list, module: nn.Module, prefix: str = '',
                   is_dcn_module: Optional[bool] = None) -> None:
        if prefix and not any(param.requires_grad for param in module.parameters()):
            count = sum(1 for _ in module.parameters())
            if count:
                self.left_out.append((prefix, count))
            return
        super().add_params(params, module, prefix, is_dcn_module)
