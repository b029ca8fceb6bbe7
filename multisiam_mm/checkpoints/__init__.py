"""Everything about checkpoints, in plain torch and mmengine (no mmseg, mmdet or compiled mmcv op):
atomic writes, the checkpoint ``--resume`` continues from, whether a checkpoint fits a model and whether
its batch layout lets it resume in this run, the backbone out of a pre-training checkpoint (as OpenMMLab
or torchvision weights), and whether a downstream model's ``Pretrained`` init really loaded it."""
from .atomic_writes import ATOMIC_BACKEND, AtomicLocalBackend, write_atomically
from .backbone_weights import (BACKBONE_PREFIXES, extract_backbone_state_dict, load_backbone_state_dict,
                               to_torchvision_resnet, torchvision_resnet_key_check)
from .batch_layout import batch_layout, check_resume_layout, total_batch_size
from .fit import check_checkpoint_fits, describe_backbone, resnet_depth_of, tensors_under
from .latest import latest_checkpoint
from .pretrained_check import PretrainedLoadError, check_pretrained_loaded

__all__ = [
    'ATOMIC_BACKEND', 'AtomicLocalBackend', 'BACKBONE_PREFIXES', 'PretrainedLoadError', 'batch_layout',
    'check_checkpoint_fits', 'check_resume_layout',
    'check_pretrained_loaded', 'describe_backbone', 'extract_backbone_state_dict', 'latest_checkpoint',
    'load_backbone_state_dict', 'resnet_depth_of', 'tensors_under', 'to_torchvision_resnet',
    'torchvision_resnet_key_check', 'total_batch_size', 'write_atomically'
]
