# MMSegmentation runtime for the benchmarks: mmseg's defaults, plus our package (CamVid dataset, linear
# probe head, checkpoint compat) and the hook that fails a run whose backbone was not fully loaded from
# the pre-training checkpoint (multisiam_mm/checkpoints/pretrained_check.py).
_base_ = 'mmseg::_base_/default_runtime.py'

custom_imports = dict(imports=['multisiam_mm.downstream.segmentation'], allow_failed_imports=False)
custom_hooks = [dict(type='PretrainedLoadCheckHook')]
