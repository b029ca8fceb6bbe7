"""No NaN or Inf from degenerate inputs: identical or all-zero maps, one-cluster images, autocast."""
import pytest
import torch
from mmselfsup.registry import MODELS

from multisiam_mm.models.attention import PixelSelfAttention

from multisiam_mm.models.clustering import ClusterTargets
from multisiam_mm.models.losses import ClusterConsistencyLoss
from synthetic_pairs import pair_batch
from test_multisiam import max_iters, tiny_cfg  # noqa: F401  (fixture)


@pytest.mark.parametrize('maps', [torch.zeros(2, 8, 3, 3), torch.ones(2, 8, 3, 3), -torch.ones(2, 8, 3, 3)])
def test_degenerate_maps_give_finite_targets_attention_and_loss(maps):
    targets = ClusterTargets(num_clusters=3)(maps)  # one cluster holds every pixel
    attended = PixelSelfAttention()(maps, maps)
    loss = ClusterConsistencyLoss()(attended.flatten(2), targets, torch.tensor([True, True]))
    assert torch.isfinite(targets).all() and torch.isfinite(attended).all() and torch.isfinite(loss)


def flat_batch(images: str):
    inputs, samples = pair_batch(batch_size=2, size=64)
    fill = 0.0 if images == 'zeros' else 0.7
    return [torch.full_like(x, fill) for x in inputs], samples


@pytest.mark.parametrize('images', ['zeros', 'constant'])
@pytest.mark.parametrize('dtype', [None, torch.bfloat16])
def test_full_model_gradients_stay_finite_on_flat_images(images, dtype):
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg())
    with torch.autocast('cpu', dtype=dtype, enabled=dtype is not None):
        losses = model.loss(*flat_batch(images))
    assert all(torch.isfinite(value) for value in losses.values()), losses
    sum(losses.values()).backward()
    for name, param in model.named_parameters():
        assert param.grad is None or torch.isfinite(param.grad).all(), name


@pytest.mark.parametrize('images', ['zeros', 'constant'])
def test_float16_training_keeps_weights_finite(images):
    """float16 gradients can overflow on degenerate batches; loss scaling (mmengine's AmpOptimWrapper
    uses torch's GradScaler) skips such steps, so the weights never see an Inf or NaN."""
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler('cpu')
    for _ in range(2):
        with torch.autocast('cpu', dtype=torch.float16):
            losses = model.loss(*flat_batch(images))
        assert all(torch.isfinite(value) for value in losses.values()), losses
        scaler.scale(sum(losses.values())).backward()
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad()
    for name, param in model.named_parameters():
        assert torch.isfinite(param).all(), name
