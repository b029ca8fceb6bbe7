"""The entry points: pre-training and downstream fine-tuning, with what their command lines share.

* :mod:`.runner_setup`: what the command-line options do to a config (``--work-dir``, ``--amp``,
  ``--resume``, ``--tensorboard``, ``--channels-last``) and its adaptation to a machine without CUDA;
  shared by pre-training and downstream fine-tuning.
* :mod:`.train`: the pre-training entry point (``python -m multisiam_mm.apis.train CONFIG``,
  ``tools/train.py``); needs no mmseg or mmdet.
* :mod:`.train_downstream`: fine-tuning with an MMSegmentation or MMDetection benchmark config
  (``python -m multisiam_mm.apis.train_downstream CONFIG``, ``tools/benchmarks/train_downstream.py``).
* :mod:`.config_checks`: what spans components of a pre-training config, checked before the Runner.

Only :mod:`.runner_setup` is imported here: the entry points run as ``python -m``.
"""
from .runner_setup import adapt_to_cpu, apply_cli, use_channels_last, use_tensorboard

__all__ = ['adapt_to_cpu', 'apply_cli', 'use_channels_last', 'use_tensorboard']
