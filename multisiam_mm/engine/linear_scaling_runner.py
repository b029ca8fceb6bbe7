from mmengine.dist import get_world_size
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner
from mmselfsup.registry import RUNNERS


def total_batch_size(batch_size: int, world_size: int, accumulative_counts: int) -> int:
    """Images behind one optimizer step: per-process batch x processes x accumulated iterations."""
    return batch_size * world_size * accumulative_counts


@RUNNERS.register_module()
class LinearScalingRunner(Runner):
    """mmengine's runner with the paper's lr rule, lr = base lr x total batch / 256 (Sec. 4.1).

    Pre-training configs state the base lr per ``auto_scale_lr.base_batch_size`` images
    (``optim_wrapper.optimizer.lr``, e.g. 1.0 per 256) with ``auto_scale_lr.enable=True``. mmengine's own
    ``scale_lr`` counts processes x per-process batch; this one also counts gradient accumulation
    (``optim_wrapper.accumulative_counts``: the ablations' 1024 x 4 is batch 4096), and logs the
    arithmetic, so ``--cfg-options train_dataloader.batch_size=64`` or another GPU count rescales the lr
    instead of silently keeping the config's value. Like mmengine's, it runs before the parameter
    schedulers store their initial lr.
    """

    def scale_lr(self, optim_wrapper, auto_scale_lr=None) -> None:
        if not auto_scale_lr or not auto_scale_lr.get('enable', False):
            return
        if not isinstance(optim_wrapper, OptimWrapper) or hasattr(optim_wrapper, 'optim_wrappers'):
            raise TypeError('auto_scale_lr with LinearScalingRunner supports one optimizer wrapper')
        batch = self.train_dataloader.batch_size
        counts = optim_wrapper._accumulative_counts  # mmengine 0.10 keeps it private
        total = total_batch_size(batch, get_world_size(), counts)
        base = auto_scale_lr['base_batch_size']
        base_lr = optim_wrapper.optimizer.param_groups[0]['lr']
        for group in optim_wrapper.optimizer.param_groups:
            group['lr'] = group['lr'] * total / base
        self.logger.info(
            f'lr = base lr {base_lr:g} x total batch {total} ({batch} per process x {get_world_size()} '
            f'processes x {counts} accumulated) / {base} = {base_lr * total / base:g} (auto_scale_lr; '
            f'set auto_scale_lr.enable=False to use optim_wrapper.optimizer.lr as it is)')
