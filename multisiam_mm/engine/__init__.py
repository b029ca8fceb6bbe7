from .channels_last_runner import ChannelsLastRunner
from .cpu_amp_optim_wrapper import CPUAmpOptimWrapper
from .cpu_distributed_data_parallel import CPUDistributedDataParallel
from .cpu_sync_batch_norm import CPUSyncBatchNorm, convert_sync_batchnorm_for_cpu
from .iter_checkpoint_hook import IterCheckpointHook, save_iteration_checkpoint
from .nan_guard_hook import NaNGuardHook
from .online_optim_wrapper_constructor import OnlineOptimWrapperConstructor
from .optim_step_ema_hook import OptimStepEMAHook
from .preemption_hook import EXIT_PREEMPTED, PreemptionHook
from .pretrain_runner import PretrainRunner
from .resumable_epoch_loop import ResumableEpochBasedTrainLoop
from .skipped_files_hook import SkippedFilesHook

__all__ = [
    'CPUAmpOptimWrapper', 'ChannelsLastRunner', 'CPUDistributedDataParallel', 'CPUSyncBatchNorm',
    'EXIT_PREEMPTED', 'IterCheckpointHook', 'NaNGuardHook', 'OnlineOptimWrapperConstructor', 'OptimStepEMAHook',
    'PreemptionHook',
    'PretrainRunner', 'ResumableEpochBasedTrainLoop', 'SkippedFilesHook', 'convert_sync_batchnorm_for_cpu',
    'save_iteration_checkpoint'
]
