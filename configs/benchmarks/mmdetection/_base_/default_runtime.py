# MMDetection runtime for the benchmarks: mmdet's defaults, plus our package (checkpoint compat) and the
# hook that fails a run whose backbone was not fully loaded from the pre-training checkpoint.
_base_ = 'mmdet::_base_/default_runtime.py'

custom_imports = dict(imports=['multisiam_mm.downstream'], allow_failed_imports=False)
custom_hooks = [dict(type='PretrainedLoadCheckHook')]
