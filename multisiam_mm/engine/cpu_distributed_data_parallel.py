from typing import Any

from mmengine.model import MMDistributedDataParallel
from mmengine.registry import MODEL_WRAPPERS
from torch import nn

from .cpu_sync_batch_norm import convert_sync_batchnorm_for_cpu


@MODEL_WRAPPERS.register_module()
class CPUDistributedDataParallel(MMDistributedDataParallel):
    """mmengine's DDP wrapper for training on CPUs with the gloo backend.

    torch's SyncBatchNorm refuses CPU tensors once a process group exists, so its layers become
    :class:`CPUSyncBatchNorm`, which synchronizes over gloo: N CPU processes train exactly like one
    process with the global batch. CPU modules take no device ids, so the ``device_ids`` the Runner
    passes are ignored. ``tools/train.py`` selects this wrapper when no CUDA device is present.
    """

    def __init__(self, module: nn.Module, device_ids: Any = None, **kwargs) -> None:
        super().__init__(module=convert_sync_batchnorm_for_cpu(module), device_ids=None, **kwargs)
