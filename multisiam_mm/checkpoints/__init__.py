"""Checkpoint surgery: the backbone out of a pre-training checkpoint, as OpenMMLab or torchvision weights.

Plain torch (no mmseg, mmdet or compiled mmcv ops), so pre-training tools, the converters and the dense
probe use it without the downstream plugin package :mod:`multisiam_mm.benchmarks`.
"""
from .backbone_weights import (BACKBONE_PREFIXES, extract_backbone_state_dict, load_backbone_state_dict,
                               resnet_depth_of, to_torchvision_resnet, torchvision_resnet_key_check)

__all__ = [
    'BACKBONE_PREFIXES', 'extract_backbone_state_dict', 'load_backbone_state_dict', 'resnet_depth_of',
    'to_torchvision_resnet', 'torchvision_resnet_key_check'
]
