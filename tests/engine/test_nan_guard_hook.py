from types import SimpleNamespace

import pytest
import torch

from multisiam_mm.engine import NaNGuardHook


def test_finite_losses_pass():
    runner = SimpleNamespace(iter=4, epoch=0)
    NaNGuardHook().after_train_iter(runner, 0, outputs=dict(loss=torch.tensor(1.0), loss_2d=torch.tensor(-0.5)))


def test_non_finite_term_stops_training_naming_iteration_and_term():
    runner = SimpleNamespace(iter=41, epoch=2)
    outputs = dict(loss=torch.tensor(float('nan')), loss_1d=torch.tensor(-1.0), loss_2d=torch.tensor(float('inf')))
    with pytest.raises(FloatingPointError, match=r'iteration 42 \(epoch 3\): loss=nan, loss_2d=inf'):
        NaNGuardHook().after_train_iter(runner, 0, outputs=outputs)


def test_guard_runs_before_checkpointing():
    from mmengine.hooks import CheckpointHook
    from mmengine.runner.priority import get_priority
    assert get_priority(NaNGuardHook.priority) < get_priority(CheckpointHook.priority)
