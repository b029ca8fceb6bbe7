import pytest
import torch

from multisiam_mm.models.algorithms import MomentumQueue, momentum_queue


def keys(*values):
    """One key per value, ``(len(values), 2)``: ``[v, -v]``, easy to find in the queue."""
    return torch.tensor([[v, -v] for v in values], dtype=torch.float32)


def test_starts_with_random_unit_keys():
    queue = MomentumQueue(length=6, dim=2)
    assert queue.keys.shape == (6, 2) and int(queue.ptr) == 0
    assert torch.allclose(queue.keys.norm(dim=1), torch.ones(6))
    assert {name for name, _ in queue.named_buffers()} == {'keys', 'ptr'}  # saved in checkpoints


def test_fifo_across_iterations_with_wrap_around():
    queue = MomentumQueue(length=5, dim=2)
    initial = queue.keys.clone()
    queue.push(keys(1, 2))
    assert torch.equal(queue.keys[:2], keys(1, 2)) and torch.equal(queue.keys[2:], initial[2:])
    assert int(queue.ptr) == 2
    queue.push(keys(3, 4))
    assert torch.equal(queue.keys[:4], keys(1, 2, 3, 4)) and int(queue.ptr) == 4
    queue.push(keys(5, 6))  # row 4, then wraps to row 0, dequeuing the oldest key (1)
    assert torch.equal(queue.keys, keys(6, 2, 3, 4, 5)) and int(queue.ptr) == 1
    queue.push(keys(7, 8))
    assert torch.equal(queue.keys, keys(6, 7, 8, 4, 5)) and int(queue.ptr) == 3


def test_negatives_are_a_copy_taken_before_the_push():
    queue = MomentumQueue(length=4, dim=2)
    query = torch.randn(3, 2, requires_grad=True)
    logits = query @ queue.negatives().t()  # (3, 4), saves the negatives for backward
    queue.push(keys(1, 2))  # in-place update of the queue after the loss
    logits.sum().backward()  # no autograd version error
    assert query.grad is not None


def test_keys_of_all_ranks_are_enqueued_in_rank_order(monkeypatch):
    # two simulated ranks with 2 keys each: rank 1 pushed 10 * the values of rank 0
    monkeypatch.setattr(momentum_queue, 'all_gather', lambda t: [t, 10 * t])
    queue = MomentumQueue(length=6, dim=2)
    queue.push(keys(1, 2))
    assert torch.equal(queue.keys[:4], keys(1, 2, 10, 20)) and int(queue.ptr) == 4
    queue.push(keys(3, 4))  # 4 gathered keys: rows 4, 5, then 0, 1
    assert torch.equal(queue.keys, keys(30, 40, 10, 20, 3, 4)) and int(queue.ptr) == 2


def test_bad_sizes_name_the_config_key():
    with pytest.raises(ValueError, match=r'model.feat_dim=2'):
        MomentumQueue(length=4, dim=2).push(torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r'model.queue_len must be >= .* = 5\), got 4'):
        MomentumQueue(length=4, dim=2).push(torch.zeros(5, 2))
    with pytest.raises(ValueError, match='model.queue_len'):
        MomentumQueue(length=0, dim=2)
