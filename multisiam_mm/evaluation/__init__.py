"""Evaluation of pre-trained backbones without the downstream stack: the deterministic dense probe,
unsupervised segmentation and label efficiency, on cached frozen features."""
from ..datasets.camvid_classes import CAMVID_CLASSES, CAMVID_VOID_ID
from .dense_probe import probe_checkpoint
from .instruments import INSTRUMENTS, evaluate_backbone
from .linear_probe import LinearProbe

__all__ = ['CAMVID_CLASSES', 'CAMVID_VOID_ID', 'INSTRUMENTS', 'LinearProbe', 'evaluate_backbone', 'probe_checkpoint']
