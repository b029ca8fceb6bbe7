"""Training-step time of MultiSiam versus mmselfsup's BYOL, measured side by side in one process.

Both models come from the repo's configs (``configs/multisiam_r50_waymo.py`` and
``configs/baselines/byol_r50_waymo.py``) with the backbone depth, batch and resolution given here; steps
of the two models alternate so that machine noise hits both alike. Prints the median step times, their
ratio, MultiSiam's forward-time breakdown per component (forward hooks), and K-means time versus batch
size and map size.

Examples:
    python tools/analysis/benchmark_step.py --depth 18 --batch 16 --size 128
    python tools/analysis/benchmark_step.py --depth 50 --batch 8 --size 224 --amp
"""
import argparse
import statistics
import sys
import time
from collections import defaultdict
from contextlib import nullcontext
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData
from mmselfsup.engine.optimizers import LARS
from mmselfsup.registry import MODELS
from mmselfsup.structures import SelfSupDataSample

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import multisiam_mm  # noqa: E402,F401
from multisiam_mm.models.utils import batched_kmeans  # noqa: E402

CONFIGS = {'BYOL': 'configs/baselines/byol_r50_waymo.py', 'MultiSiam': 'configs/multisiam_r50_waymo.py'}
WIDTH = {18: 512, 34: 512, 50: 2048, 101: 2048}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--depth', type=int, default=18, choices=sorted(WIDTH))
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--size', type=int, default=128, help='crop size of both views')
    parser.add_argument('--steps', type=int, default=6, help='timed steps per model')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--amp', action='store_true', help='autocast (bfloat16 on CPU, float16 on CUDA)')
    parser.add_argument('--channels-last', action='store_true')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--skip-kmeans-scaling', action='store_true')
    return parser.parse_args()


def build_model(name: str, depth: int, device: str) -> torch.nn.Module:
    cfg = Config.fromfile(str(ROOT / CONFIGS[name])).model
    cfg.backbone.depth = depth
    width = WIDTH[depth]
    if name == 'BYOL':
        cfg.neck.in_channels = width
    else:
        cfg.neck.projector_1d.in_channels = width
        cfg.neck.projector_2d.in_channels = width
    model = revert_sync_batchnorm(MODELS.build(cfg))  # one process: SyncBN runs as BN
    model.init_weights()
    return model.to(device).train()


def fake_batch(batch: int, size: int, device: str) -> tuple[list[torch.Tensor], list[SelfSupDataSample]]:
    """Two uint8 views and pair geometry as the data pipeline packs them (IoU of the boxes: 0.6)."""
    inputs = [torch.randint(0, 256, (batch, 3, size, size), dtype=torch.uint8) for _ in range(2)]
    samples = []
    for _ in range(batch):
        sample = SelfSupDataSample()
        sample.pseudo_label = InstanceData(
            crop_boxes=torch.tensor([[0.0, 0, 400, 400], [100.0, 50, 500, 450]]),
            flipped=torch.tensor([True, False]))
        samples.append(sample)
    return [x.to(device) for x in inputs], samples


class ComponentTimer:
    """Accumulates forward time per named submodule with forward (pre-)hooks."""

    def __init__(self, model: torch.nn.Module, device: str) -> None:
        self.device = device
        self.totals: dict[str, float] = defaultdict(float)
        self._starts: dict[str, float] = {}
        head_2d = model.head_2d
        parts = {
            'backbone (online)': model.backbone,
            'backbone (target)': model.target_net.module[0],
            '1D projector': model.neck.projector_1d,
            '1D projector (target)': model.target_net.module[1].projector_1d,
            '1D predictor + loss': model.head,
            '2D projection': model.neck.projector_2d,
            '2D projection (target)': model.target_net.module[1].projector_2d,
            'alignment': model.alignment,
            '2D predictor': head_2d.predictor,
            'self-attention': head_2d.attention,
            'K-means targets': head_2d.clustering,
            '2D loss': head_2d.loss,
        }
        for name, module in parts.items():
            if module is not None:
                module.register_forward_pre_hook(self._start(name))
                module.register_forward_hook(self._stop(name))

    def _sync(self) -> None:
        if self.device.startswith('cuda'):
            torch.cuda.synchronize()

    def _start(self, name):
        def hook(module, args):
            self._sync()
            self._starts[name] = time.perf_counter()
        return hook

    def _stop(self, name):
        def hook(module, args, output):
            self._sync()
            self.totals[name] += time.perf_counter() - self._starts[name]
        return hook


def train_step(model, optimizer, data, amp: bool, device: str, channels_last: bool) -> float:
    """One full step (preprocess, forward, backward, LARS update); returns seconds."""
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    start = time.perf_counter()
    inputs, samples = model.data_preprocessor(dict(inputs=data[0], data_samples=data[1]), True)
    if channels_last:
        inputs = [x.contiguous(memory_format=torch.channels_last) for x in inputs]
    dtype = torch.bfloat16 if device == 'cpu' else torch.float16
    with torch.autocast(device.split(':')[0], dtype=dtype) if amp else nullcontext():
        losses = model.loss(inputs, samples)
    loss = sum(losses.values())
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def compare_steps(args) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Median-ready step times per model and MultiSiam's mean forward time per component."""
    models, optimizers = {}, {}
    for name in CONFIGS:
        models[name] = build_model(name, args.depth, args.device)
        if args.channels_last:
            models[name] = models[name].to(memory_format=torch.channels_last)
        optimizers[name] = LARS(models[name].parameters(), lr=0.1, momentum=0.9, weight_decay=1e-5)
    data = fake_batch(args.batch, args.size, args.device)
    timer = ComponentTimer(models['MultiSiam'], args.device)
    times = {name: [] for name in CONFIGS}
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            timer.totals.clear()
        for name in CONFIGS:  # alternate: both models see the same machine state
            seconds = train_step(models[name], optimizers[name], data, args.amp, args.device, args.channels_last)
            if step >= args.warmup:
                times[name].append(seconds)
    breakdown = {k: v / args.steps for k, v in timer.totals.items()}
    return times, breakdown


def kmeans_scaling(device: str, channels: int = 256) -> list[tuple[int, int, float]]:
    """Seconds per batched K-means call (K=3, 10 iterations) for several batch and map sizes."""
    rows = []
    for batch, cells in [(16, 49), (32, 49), (64, 49), (128, 49), (256, 49), (64, 196), (64, 784)]:
        feats = torch.randn(batch, cells, channels, device=device)
        batched_kmeans(feats, 3)
        runs = []
        for _ in range(5):
            if device.startswith('cuda'):
                torch.cuda.synchronize()
            start = time.perf_counter()
            batched_kmeans(feats, 3)
            if device.startswith('cuda'):
                torch.cuda.synchronize()
            runs.append(time.perf_counter() - start)
        rows.append((batch, cells, statistics.median(runs)))
    return rows


def main() -> None:
    args = parse_args()
    init_default_scope('mmselfsup')
    MessageHub.get_current_instance().update_info('max_iters', 10_000)
    torch.manual_seed(0)
    times, breakdown = compare_steps(args)
    med = {name: statistics.median(t) for name, t in times.items()}
    print(f'# ResNet-{args.depth}, batch {args.batch}, {args.size} px, device {args.device}, '
          f'amp={args.amp}, channels_last={args.channels_last}, torch threads {torch.get_num_threads()}')
    for name in CONFIGS:
        print(f'{name:10s} step: median {med[name] * 1000:8.1f} ms  (min {min(times[name]) * 1000:.1f}, '
              f'max {max(times[name]) * 1000:.1f}, n={len(times[name])})')
    print(f'ratio MultiSiam / BYOL: {med["MultiSiam"] / med["BYOL"]:.3f}')
    forward = sum(breakdown.values())
    print(f'\nMultiSiam forward breakdown (ms per step; forward total {forward * 1000:.1f}, '
          f'the rest of the step is backward + optimizer):')
    for name, seconds in sorted(breakdown.items(), key=lambda kv: -kv[1]):
        print(f'  {name:24s} {seconds * 1000:8.2f}  ({seconds / med["MultiSiam"] * 100:5.1f}% of the step)')
    if not args.skip_kmeans_scaling:
        print('\nbatched K-means (K=3, 10 iterations, 256 channels): batch, cells, ms, ms per image')
        for batch, cells, seconds in kmeans_scaling(args.device):
            print(f'  {batch:4d} {cells:4d} {seconds * 1000:8.2f} {seconds * 1000 / batch:7.3f}')


if __name__ == '__main__':
    main()
