"""Fine-tuning MultiSiam backbones in MMDetection and MMSegmentation (the configs under configs/benchmarks/).

Not imported by :mod:`multisiam_mm`. A downstream config loads it with ``custom_imports``, which also
imports :mod:`multisiam_mm` (whose import-time fix lets ``Pretrained`` init read mmengine checkpoints):

* ``multisiam_mm.downstream`` (MMDetection and MMSegmentation; imports neither): registers
  :class:`PretrainedLoadCheckHook` into mmengine's root ``HOOKS`` (found from the mmseg and mmdet scopes),
  which fails a run whose backbone was not fully loaded from the pre-training checkpoint.
* ``multisiam_mm.downstream.segmentation`` (MMSegmentation only; imports mmseg): also registers
  ``CamVidDataset`` and ``LinearProbeHead`` into mmseg's registries.
"""
from .pretrained_check_hook import PretrainedLoadCheckHook

__all__ = ['PretrainedLoadCheckHook']
