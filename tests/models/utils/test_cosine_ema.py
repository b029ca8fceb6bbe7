"""The core's target network: BYOL's cosine schedule of tau and the EMA step it drives."""
import math

import pytest
import torch
from mmengine.logging import MessageHub
from torch import nn

from multisiam_mm.models.utils import CosineEMA, cosine_momentum


def test_tau_rises_on_a_cosine_from_base_to_end():
    assert cosine_momentum(0.99, 1.0, 0, 100) == pytest.approx(0.99)
    assert cosine_momentum(0.99, 1.0, 50, 100) == pytest.approx(0.995)  # halfway: the mean of the two
    assert cosine_momentum(0.99, 1.0, 100, 100) == pytest.approx(1.0)
    assert cosine_momentum(0.9, 1.0, 25, 100) == pytest.approx(1 - 0.1 * (math.cos(math.pi / 4) + 1) / 2)


def test_a_move_keeps_tau_of_the_average_and_takes_1_minus_tau_of_the_online_weights():
    MessageHub.get_current_instance().update_info('max_iters', 4)
    online = nn.Linear(1, 1, bias=False)
    nn.init.constant_(online.weight, 0.0)
    ema = CosineEMA(online, momentum=0.5, end_momentum=1.0)  # a copy: 0
    nn.init.constant_(online.weight, 1.0)
    ema.update_parameters(online)  # the first call copies (mmengine's steps == 0)
    assert ema.module.weight.item() == 1.0
    nn.init.constant_(online.weight, 3.0)
    ema.update_parameters(online)  # step 1 of 4: tau = 1 - 0.5 * (cos(pi / 4) + 1) / 2
    tau = 1 - 0.5 * (math.cos(math.pi / 4) + 1) / 2
    assert ema.module.weight.item() == pytest.approx(tau * 1.0 + (1 - tau) * 3.0)
    assert set(ema.state_dict()) == {'module.weight', 'steps'}  # both hosts' CosineEMA keys


def test_a_momentum_in_the_other_convention_is_refused():
    with pytest.raises(ValueError, match=r'base_momentum must be in \(0, 1\).*got 1.0'):
        CosineEMA(nn.Linear(1, 1), momentum=1.0)
