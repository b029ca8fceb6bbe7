"""Evaluation of pre-trained backbones without the downstream stack: the deterministic dense probe."""
from .dense_probe import CAMVID_CLASSES, CAMVID_VOID_ID, LinearProbe, probe_checkpoint

__all__ = ['CAMVID_CLASSES', 'CAMVID_VOID_ID', 'LinearProbe', 'probe_checkpoint']
