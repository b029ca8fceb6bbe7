"""The EMA target moves once per optimizer step, also under gradient accumulation (Sec. 4.3 recipe)."""
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapper
from mmselfsup.registry import MODELS

from multisiam_mm.engine import OptimStepEMAHook
from synthetic_pairs import pair_batch
from test_multisiam import tiny_cfg


def applied_momenta(accumulation: int, updates: int, hook: bool = True) -> list[float]:
    """Train ``updates`` optimizer steps of ``accumulation`` forwards each, as mmengine's loop does, and
    measure the momentum of every EMA move from the weights: new = m * old + (1 - m) * online."""
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg(base_momentum=0.9))  # momentum 0.9 -> 1 on a cosine
    model.init_weights()
    max_iters = accumulation * updates
    MessageHub.get_current_instance().update_info('max_iters', max_iters)
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.5), accumulative_counts=accumulation)
    wrapper.initialize_count_status(model, 0, max_iters)
    if hook:
        OptimStepEMAHook().before_train(SimpleNamespace(model=model, optim_wrapper=wrapper))

    momenta = []
    ema = model.target_net
    move = ema.avg_func

    def measuring_move(averaged, source, steps):
        before = averaged.clone()
        move(averaged, source, steps)
        if averaged.data_ptr() == ema.avg_parameters['0.conv1.weight'].data_ptr():
            gap = before - source
            idx = gap.abs().argmax()
            momenta.append(float((averaged.flatten()[idx] - source.flatten()[idx]) / gap.flatten()[idx]))

    ema.avg_func = measuring_move
    inputs, samples = pair_batch(batch_size=2, size=64)
    for _ in range(max_iters):
        losses = model.loss(inputs, samples)
        wrapper.update_params(sum(losses.values()))
    return momenta


def test_momentum_per_optimizer_step_is_the_same_with_accumulation_4():
    plain = applied_momenta(accumulation=1, updates=3)
    accumulated = applied_momenta(accumulation=4, updates=3)
    # 3 updates: moves before the 2nd and 3rd (the 1st forward copies the freshly initialized online net);
    # tau_k = 1 - 0.1 * (cos(pi k / 3) + 1) / 2: 0.925 after update 1, 0.975 after update 2
    assert plain == pytest.approx([0.925, 0.975], abs=1e-4)
    assert accumulated == pytest.approx(plain, abs=1e-4)


def test_without_the_hook_accumulation_moves_the_target_at_every_forward():
    momenta = applied_momenta(accumulation=4, updates=3, hook=False)
    assert len(momenta) == 11  # mmselfsup's CosineEMA alone: forwards 2..12, 4 moves per optimizer step


def test_the_logged_momentum_is_the_one_applied():
    """``latest_momentum`` (what OptimStepEMAHook logs) against the momenta measured from the weights."""
    from multisiam_mm.engine.optim_step_ema_hook import latest_momentum
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg(base_momentum=0.9))
    MessageHub.get_current_instance().update_info('max_iters', 12)
    model.target_net.interval = 4
    inputs, samples = pair_batch(batch_size=2, size=64)
    logged = []
    for _ in range(12):
        model.loss(inputs, samples)
        logged.append(latest_momentum(model.target_net, 12))
    # moves at forwards 5 and 9 (steps 4, 8 of 12): tau = 0.925, 0.975; before the first move: the base
    assert logged == pytest.approx([0.9] * 4 + [0.925] * 4 + [0.975] * 4, abs=1e-6)
