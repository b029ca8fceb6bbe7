"""The core restates small pieces of mmselfsup 1.0 so that it imports no host; each gives mmselfsup's
numbers: the cosine EMA and shuffle BN (the third, the gather of MoCo's queue, is mmengine's all_gather)."""
import torch
from mmengine.logging import MessageHub
from mmselfsup.models.utils import CosineEMA as MMSelfSupCosineEMA
from mmselfsup.utils import batch_shuffle_ddp, batch_unshuffle_ddp
from torch import nn

from multisiam_mm.models.utils import CosineEMA, batch_shuffle, batch_unshuffle


def test_the_cosine_ema_moves_the_target_as_mmselfsups_does():
    MessageHub.get_current_instance().update_info('max_iters', 10)
    torch.manual_seed(0)
    online = nn.Linear(4, 3)
    ours, theirs = CosineEMA(online, 0.9, 1.0), MMSelfSupCosineEMA(online, 0.9, 1.0)
    for _ in range(6):
        with torch.no_grad():
            for param in online.parameters():
                param.add_(torch.randn_like(param))
        ours.update_parameters(online)
        theirs.update_parameters(online)
    assert ours.state_dict().keys() == theirs.state_dict().keys()
    for key, value in ours.state_dict().items():
        assert torch.equal(value, theirs.state_dict()[key]), key


def test_shuffle_bn_draws_mmselfsups_permutation():
    x = torch.randn(6, 2)
    torch.manual_seed(5)
    theirs, their_index = batch_shuffle_ddp(x)
    torch.manual_seed(5)
    ours, our_index = batch_shuffle(x)
    assert torch.equal(ours, theirs) and torch.equal(our_index, their_index)
    assert torch.equal(batch_unshuffle(ours, our_index), batch_unshuffle_ddp(theirs, their_index))
