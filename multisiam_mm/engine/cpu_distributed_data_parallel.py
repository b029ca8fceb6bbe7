from typing import Any

from mmengine.model import MMDistributedDataParallel, revert_sync_batchnorm
from mmengine.registry import MODEL_WRAPPERS
from torch import nn


@MODEL_WRAPPERS.register_module()
class CPUDistributedDataParallel(MMDistributedDataParallel):
    """mmengine's DDP wrapper for training on CPUs with the gloo backend.

    torch's SyncBatchNorm refuses CPU tensors once a process group exists, so SyncBN layers become
    mmengine's dimension-agnostic BN first (what mmengine already does for non-distributed runs); and
    CPU modules take no device ids, so the ``device_ids`` the Runner passes are ignored.
    ``tools/train.py`` selects this wrapper when no CUDA device is present.
    """

    def __init__(self, module: nn.Module, device_ids: Any = None, **kwargs) -> None:
        super().__init__(module=revert_sync_batchnorm(module), device_ids=None, **kwargs)
