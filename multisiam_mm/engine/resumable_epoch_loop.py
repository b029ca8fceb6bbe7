from mmengine.dist import get_world_size
from mmengine.runner import EpochBasedTrainLoop
from ..registry import LOOPS


@LOOPS.register_module()
class ResumableEpochBasedTrainLoop(EpochBasedTrainLoop):
    """mmengine's ``EpochBasedTrainLoop`` that resumes inside an epoch, where the checkpoint was taken.

    mmengine restores ``epoch`` and ``iter`` from a checkpoint but starts the epoch again from its first
    batch, so a checkpoint taken at iteration k of an epoch (:class:`IterCheckpointHook`,
    :class:`PreemptionHook`) would train k batches twice. Here the epoch continues with its first batch
    not yet trained: the sampler starts after the batches done (:meth:`SeededSampler.start_at
    <multisiam_mm.datasets.SeededSampler.start_at>`) and ``batch_idx`` counts on from k, so hooks and logs
    see the uninterrupted run's indices. With per-sample seeds the remaining batches are the same samples,
    in the same order, with the same augmentations. Everything else is mmengine's loop.
    """

    def __init__(self, runner, dataloader, max_epochs: int, **kwargs) -> None:
        super().__init__(runner, dataloader, max_epochs, **kwargs)
        if len(self.dataloader) == 0:
            dataset = len(self.dataloader.dataset)
            raise ValueError(
                f'train_dataloader.batch_size ({self.dataloader.batch_size} per process x {get_world_size()} '
                f'processes) is larger than the dataset ({dataset} images) with drop_last=True: an epoch '
                f'has no full batch. Lower train_dataloader.batch_size to at most {dataset // get_world_size()}, '
                'or add images')

    def batches_done_in_epoch(self) -> int:
        """Batches of the current epoch trained before this run started (0 unless resumed mid-epoch)."""
        return self._iter - self._epoch * len(self.dataloader)

    def run_epoch(self) -> None:
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        done = self.batches_done_in_epoch()
        if done:
            sampler = self.dataloader.sampler
            if not hasattr(sampler, 'start_at'):
                raise RuntimeError(
                    f'resuming at batch {done} of epoch {self._epoch + 1} needs a sampler that can start '
                    f"after the batches done: set train_dataloader.sampler.type='SeededSampler', got "
                    f'{type(sampler).__name__}')
            sampler.start_at(done * self.dataloader.batch_size)
            self.runner.logger.info(f'resuming epoch {self._epoch + 1} at batch {done + 1} of '
                                    f'{len(self.dataloader)}')
        for idx, data_batch in enumerate(self.dataloader, start=done):
            self.run_iter(idx, data_batch)
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1
