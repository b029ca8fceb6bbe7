"""What the command-line tools share: the training entry points and the speed measurements.

* :mod:`.runner_setup`: what the command-line options do to a config (``--work-dir``, ``--amp``,
  ``--resume``, ``--tensorboard``, ``--channels-last``) and its adaptation to a machine without CUDA;
  shared by pre-training and downstream fine-tuning.
* :mod:`.train`: the pre-training entry point (``python -m multisiam_mm.apis.train CONFIG``,
  ``tools/train.py``); needs no mmseg or mmdet.
* :mod:`.train_downstream`: fine-tuning with an MMSegmentation or MMDetection benchmark config
  (``python -m multisiam_mm.apis.train_downstream CONFIG``, ``tools/benchmarks/train_downstream.py``).
* :mod:`.speed`: the models, synthetic batches, clocks and JPEG test images of the speed scripts
  (``tools/analysis/benchmark_*.py``, ``tools/device/model_throughput.py``, ``pipeline_check.py``).

Only :mod:`.runner_setup` is imported here: the entry points run as ``python -m``, and the others
import more than a caller of the shared functions needs.
"""
from .runner_setup import adapt_to_cpu, apply_cli, use_channels_last, use_tensorboard

__all__ = ['adapt_to_cpu', 'apply_cli', 'use_channels_last', 'use_tensorboard']
