"""Downstream benchmarks: fine-tuning MultiSiam backbones in MMSegmentation and MMDetection.

Not imported by :mod:`multisiam_mm`: a downstream config loads it with
``custom_imports = dict(imports=['multisiam_mm.benchmarks'], allow_failed_imports=False)``, which also
imports :mod:`multisiam_mm` (its compat fixes let ``Pretrained`` init read mmengine checkpoints).

Registers:

* :class:`CamVidDataset` into mmseg's ``DATASETS``: the 11-class CamVid layout, void remapped to 255.
* :class:`LinearProbeHead` into mmseg's ``MODELS``: the dense linear probe on a frozen backbone.
* :class:`PretrainedLoadCheckHook` into mmengine's root ``HOOKS`` (found from the mmseg and mmdet scopes):
  fails a run whose backbone was not fully loaded from the pre-training checkpoint.
"""
from ..checkpoints import (extract_backbone_state_dict, resnet_depth_of, to_torchvision_resnet,
                               torchvision_resnet_key_check)
from .camvid_dataset import CamVidDataset
from .config_variables import drop_pretrained_init, set_config_variable
from .linear_probe_head import LinearProbeHead
from ..checkpoints import PretrainedLoadError, check_pretrained_loaded
from .pretrained_check_hook import PretrainedLoadCheckHook

__all__ = [
    'CamVidDataset', 'LinearProbeHead', 'PretrainedLoadCheckHook', 'PretrainedLoadError',
    'check_pretrained_loaded', 'drop_pretrained_init', 'extract_backbone_state_dict', 'resnet_depth_of',
    'set_config_variable', 'to_torchvision_resnet', 'torchvision_resnet_key_check'
]
