from types import SimpleNamespace

import pytest

from multisiam_mm.engine import IterCheckpointHook
from multisiam_mm.engine.iter_checkpoint_hook import iteration_checkpoints


def runner_with_accumulation(counts: int) -> SimpleNamespace:
    return SimpleNamespace(optim_wrapper=SimpleNamespace(_accumulative_counts=counts))


def test_interval_must_fall_on_optimizer_steps():
    IterCheckpointHook(interval=8).before_train(runner_with_accumulation(4))
    with pytest.raises(ValueError, match=r'interval \(6\) must be a multiple of optim_wrapper.accumulative_counts '
                                         r'\(4\).*use 8'):
        IterCheckpointHook(interval=6).before_train(runner_with_accumulation(4))
    with pytest.raises(ValueError, match='interval >= 0 and max_keep_ckpts >= 1'):
        IterCheckpointHook(interval=10, max_keep_ckpts=0)


def test_snapshots_are_ordered_by_iteration_not_by_name(tmp_path):
    for name in ('iter_100.pth', 'iter_20.pth', 'iter_3.pth', 'epoch_1.pth', 'iter_x.pth'):
        (tmp_path / name).write_bytes(b'')
    assert [p.split('/')[-1] for p in iteration_checkpoints(str(tmp_path))] == \
        ['iter_3.pth', 'iter_20.pth', 'iter_100.pth']
