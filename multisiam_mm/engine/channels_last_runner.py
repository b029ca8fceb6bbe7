import torch
from ..registry import RUNNERS
from torch import nn

from .pretrain_runner import PretrainRunner


@RUNNERS.register_module()
class ChannelsLastRunner(PretrainRunner):
    """The pre-training runner (:class:`PretrainRunner`) with the model in channels-last (NHWC)
    memory format.

    Activations follow the weights' layout, so converting the model is enough for cuDNN / oneDNN to
    pick their NHWC convolution kernels (docs/performance.md measures the step time on CPU for BYOL and
    MultiSiam alike). ``tools/train.py --channels-last`` selects this runner.

    The model is initialised, then converted, before the DDP wrapper is built: in-place random
    initialisers fill tensors in memory order, so initialising a converted model would draw other
    weights from the same seed, and DDP lays out its gradient buckets after the parameters' strides
    (and broadcasts rank 0's initial weights when it is built).
    """

    def wrap_model(self, model_wrapper_cfg, model: nn.Module) -> nn.Module:
        if hasattr(model, 'init_weights'):
            model.init_weights()
        model.to(memory_format=torch.channels_last)
        return super().wrap_model(model_wrapper_cfg, model)

    def _init_model_weights(self) -> None:
        """Done in :meth:`wrap_model`, before the conversion."""
