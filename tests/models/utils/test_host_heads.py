"""A host head's loss under either calling convention."""
import torch
from torch import nn

from multisiam_mm.models.utils import host_head_loss


class MMPretrainStyle(nn.Module):
    """mmpretrain 1.2: the loss is a method ``loss(input, target)``; ``forward`` is not defined."""

    def loss(self, a, b):
        return (a - b).sum()


class MMSelfSupStyle(nn.Module):
    """mmselfsup 1.0: the loss is the module's call; ``loss`` is an attribute holding the loss module."""

    def __init__(self):
        super().__init__()
        self.loss = nn.L1Loss(reduction='sum')  # called on its own it would compute another value

    def forward(self, a, b):
        return 10 * (a - b).sum()


def test_each_convention_is_called_its_way():
    a, b = torch.tensor([3.]), torch.tensor([1.])
    assert host_head_loss(MMPretrainStyle(), a, b).item() == 2.0
    assert host_head_loss(MMSelfSupStyle(), a, b).item() == 20.0
