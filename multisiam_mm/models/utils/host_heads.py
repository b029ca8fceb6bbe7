"""Calling a host's own head (BYOL's ``LatentPredictHead``, MoCo's ``ContrastiveHead``) from the core."""
import inspect

from torch import Tensor, nn


def host_head_loss(head: nn.Module, *inputs: Tensor) -> Tensor:
    """The loss of a host head on ``inputs``, under either host.

    Both hosts' heads take the same inputs and compute the same loss, but mmpretrain 1.2 names it a method,
    ``head.loss(*inputs)``, while mmselfsup 1.0 makes it the module's call, ``head(*inputs)``, and keeps its
    loss module in an attribute named ``loss``: the class decides which (a ``loss`` method or not).
    """
    if inspect.isfunction(getattr(type(head), 'loss', None)):
        return head.loss(*inputs)
    return head(*inputs)
