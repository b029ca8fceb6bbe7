"""Training-step cost of MultiSiam versus mmselfsup's BYOL, measured side by side in one process.

Both models come from the repo's configs (``configs/multisiam_r50_waymo.py`` and
``configs/baselines/byol_r50_waymo.py``) with the backbone depth, batch and resolution given here.
Full training steps (preprocess, forward, EMA update, backward, LARS) of the two models alternate so
that machine noise hits both alike. Printed:

1. step time, median over ``--steps``, and the ratio MultiSiam / BYOL, on the wall clock and (on
   CPU) on the process CPU clock, which other jobs on a shared machine do not inflate;
2. each model's step split into phases: forward per component (forward hooks), EMA update,
   backward, optimizer;
3. the 2D-branch components alone, forward + backward on the inputs they saw in a real step;
4. multiply-accumulates (``torch.utils.flop_counter``) of a whole step of each model and of
   MultiSiam's forward per component, and parameter counts: the compute floor of the ratio;
5. batched K-means time versus batch size B and map size HW.

On CPU the default is one thread (``--threads 1``): on a shared 2-core machine, two OpenMP threads
wait on each other at every barrier whenever another job holds a core, which makes small ops up to
100x slower and the timings meaningless; one thread timed on the CPU clock is stable.

Examples:
    python tools/analysis/benchmark_step.py --depth 18 --batch 16 --size 128
    python tools/analysis/benchmark_step.py --depth 50 --batch 4 --size 224 --steps 4
    python tools/analysis/benchmark_step.py --depth 18 --batch 16 --size 128 --amp --channels-last
    python tools/analysis/benchmark_step.py --device cuda --depth 50 --batch 128 --size 224 --no-hooks
    python tools/analysis/benchmark_step.py --depth 50 --batch 4 --size 224 \
        --multisiam-options model.neck.projector_2d.hid_channels=2048   # a narrower 2D projector
"""
import argparse
import logging
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Callable, Iterator, Optional

import torch
from mmengine.config import Config, DictAction
from mmengine.logging import MessageHub, MMLogger, print_log
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData
from mmselfsup.engine.optimizers import LARS
from mmselfsup.registry import MODELS
from mmselfsup.structures import SelfSupDataSample
from torch import Tensor, nn
from torch.utils.flop_counter import FlopCounterMode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import multisiam_mm  # noqa: E402,F401
from multisiam_mm.models.utils import batched_kmeans  # noqa: E402

CONFIGS = {'BYOL': 'configs/baselines/byol_r50_waymo.py', 'MultiSiam': 'configs/multisiam_r50_waymo.py'}
WIDTH = {18: 512, 34: 512, 50: 2048, 101: 2048}
# which inputs carry gradients in training (the rest come from the target network or are labels)
GRAD_INPUTS = {'2D projector (online)': (0,), '2D projector (target)': (), 'alignment': (0,),
               '2D predictor': (0,), 'self-attention': (0, 1), 'K-means targets': (), '2D loss': (0,)}
KMEANS_SHAPES = [(16, 49), (32, 49), (64, 49), (128, 49), (256, 49), (64, 196), (64, 784)]  # (B, HW)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--depth', type=int, default=18, choices=sorted(WIDTH))
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--size', type=int, default=128, help='crop size of both views')
    parser.add_argument('--steps', type=int, default=6, help='timed steps per model')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--threads', type=int, default=1, help='torch threads on CPU (see above)')
    parser.add_argument('--amp', action='store_true', help='autocast (bfloat16 on CPU, float16 on CUDA)')
    parser.add_argument('--channels-last', action='store_true')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--no-hooks', action='store_true',
                        help='no per-component forward hooks (each reads the clock, which synchronizes a '
                             'GPU): section 2 then shows the phases only, section 3 is skipped')
    parser.add_argument('--skip-components', action='store_true', help='skip sections 3 and 4')
    parser.add_argument('--skip-kmeans-scaling', action='store_true', help='skip section 5')
    parser.add_argument('--multisiam-options', nargs='+', action=DictAction, default={},
                        help='override MultiSiam config settings (as tools/train.py --cfg-options), e.g. '
                             'model.head_2d.predictor.hid_channels=2048')
    return parser.parse_args(argv)


class Clock:
    """Seconds on the process CPU clock (CPU) or the wall clock after a device sync (CUDA)."""

    def __init__(self, device: str) -> None:
        self.cuda = device.startswith('cuda')

    def __call__(self) -> float:
        if self.cuda:
            torch.cuda.synchronize()
            return time.perf_counter()
        return time.process_time()

    @property
    def name(self) -> str:
        return 'wall clock (CUDA synchronized)' if self.cuda else 'process CPU clock'


def build_model(name: str, depth: int, device: str, options: Optional[dict] = None) -> nn.Module:
    """BYOL or MultiSiam from the repo's config with ``options`` merged, at ``depth``, in one process (SyncBN
    as BN)."""
    cfg = Config.fromfile(str(ROOT / CONFIGS[name]))
    cfg.merge_from_dict(options or {})
    cfg = cfg.model
    cfg.backbone.depth = depth
    width = WIDTH[depth]
    if name == 'BYOL':
        cfg.neck.in_channels = width
    else:
        cfg.neck.projector_1d.in_channels = width
        cfg.neck.projector_2d.in_channels = width
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)  # init_weights reports every parameter
    try:
        model = revert_sync_batchnorm(MODELS.build(cfg))
        model.init_weights()
    finally:
        logger.setLevel(level)
    return model.to(device).train()


def fake_batch(batch: int, size: int, device: str) -> tuple[list[Tensor], list[SelfSupDataSample]]:
    """Two uint8 views and pair geometry as the data pipeline packs them (IoU of the boxes: 0.6)."""
    gen = torch.Generator().manual_seed(0)
    inputs = [torch.randint(0, 256, (batch, 3, size, size), dtype=torch.uint8, generator=gen) for _ in range(2)]
    samples = []
    for _ in range(batch):
        sample = SelfSupDataSample()
        sample.pseudo_label = InstanceData(
            crop_boxes=torch.tensor([[0.0, 0, 400, 400], [100.0, 50, 500, 450]]),
            flipped=torch.tensor([True, False]))
        samples.append(sample)
    return [x.to(device) for x in inputs], samples


def components(model: nn.Module) -> dict[str, Optional[nn.Module]]:
    """The named parts of a BYOL or MultiSiam model whose forward time is measured."""
    target_backbone, target_neck = model.target_net.module
    if not hasattr(model, 'head_2d'):  # BYOL: the neck is the 1D projector
        return {'backbone (online)': model.backbone, 'backbone (target)': target_backbone,
                '1D projector (online)': model.neck, '1D projector (target)': target_neck,
                '1D predictor + loss': model.head}
    head_2d = model.head_2d
    return {
        'backbone (online)': model.backbone,
        'backbone (target)': target_backbone,
        '1D projector (online)': model.neck.projector_1d,
        '1D projector (target)': target_neck.projector_1d,
        '1D predictor + loss': model.head,
        '2D projector (online)': model.neck.projector_2d,
        '2D projector (target)': target_neck.projector_2d,
        'alignment': model.alignment,
        '2D predictor': head_2d.predictor,
        'self-attention': head_2d.attention,
        'K-means targets': head_2d.clustering,
        '2D loss': head_2d.loss,
    }


class PhaseTimer:
    """Accumulates a model's step time per phase: forward per component (hooks), EMA update, backward,
    optimizer. Also keeps the last inputs each component saw, for :func:`component_costs`."""

    def __init__(self, model: nn.Module, clock: Clock, hooks: bool = True) -> None:
        self.clock = clock
        self.totals: dict[str, float] = defaultdict(float)
        self.inputs: dict[str, tuple] = {}
        self._starts: dict[str, float] = {}
        if not hooks:
            return
        for name, module in components(model).items():
            if module is not None:
                module.register_forward_pre_hook(self._start(name))
                module.register_forward_hook(self._stop(name))
        ema = model.target_net
        update = ema.update_parameters

        def timed_update(source: nn.Module) -> None:
            with self.phase('EMA update'):
                update(source)
        ema.update_parameters = timed_update  # instance attribute: instrumentation of this process only

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Add the time spent inside the block to ``name``."""
        start = self.clock()
        try:
            yield
        finally:
            self.totals[name] += self.clock() - start

    def _start(self, name: str) -> Callable:
        def hook(module, args):
            self.inputs[name] = args
            self._starts[name] = self.clock()
        return hook

    def _stop(self, name: str) -> Callable:
        def hook(module, args, output):
            self.totals[name] += self.clock() - self._starts[name]
        return hook


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, data: tuple, args: argparse.Namespace,
               timer: PhaseTimer) -> None:
    """One full step: preprocess, forward (with the EMA update), backward, LARS update."""
    with timer.phase('preprocess'):
        inputs, samples = model.data_preprocessor(dict(inputs=data[0], data_samples=data[1]), True)
        if args.channels_last:
            inputs = [x.contiguous(memory_format=torch.channels_last) for x in inputs]
    dtype = torch.bfloat16 if args.device == 'cpu' else torch.float16
    with torch.autocast(args.device.split(':')[0], dtype=dtype) if args.amp else nullcontext():
        with timer.phase('forward (all)'):
            losses = model.loss(inputs, samples)
    with timer.phase('backward'):
        sum(losses.values()).backward()
    with timer.phase('optimizer (LARS)'):
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)


def build_trainable(name: str, args: argparse.Namespace) -> tuple[nn.Module, torch.optim.Optimizer]:
    """``name``'s model as ``args`` set it up (depth, device, MultiSiam options, layout) and its LARS."""
    model = build_model(name, args.depth, args.device, args.multisiam_options if name == 'MultiSiam' else None)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    return model, LARS(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-5)


def compare_steps(args: argparse.Namespace, clock: Clock) -> tuple[dict, tuple, dict, dict, dict]:
    """Alternate full steps of both models; return models, data, per-step (wall, clock) times, timers and
    the phase totals of the timed steps."""
    models, optimizers, timers = {}, {}, {}
    for name in CONFIGS:
        models[name], optimizers[name] = build_trainable(name, args)
        timers[name] = PhaseTimer(models[name], clock, hooks=not args.no_hooks)
    data = fake_batch(args.batch, args.size, args.device)
    times = {name: [] for name in CONFIGS}
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            for timer in timers.values():
                timer.totals.clear()
        for name in CONFIGS:  # alternate: both models see the same machine state
            wall, cpu = time.perf_counter(), clock()
            train_step(models[name], optimizers[name], data, args, timers[name])
            if step >= args.warmup:
                times[name].append((time.perf_counter() - wall, clock() - cpu))
    phases = {name: dict(timer.totals) for name, timer in timers.items()}  # before the hooks fire again
    return models, data, times, timers, phases


def measure(fn: Callable[[], object], clock: Clock, repeats: int = 7) -> float:
    """Median seconds of ``fn`` over ``repeats`` calls after one warm-up call."""
    fn()
    runs = []
    for _ in range(repeats):
        start = clock()
        fn()
        runs.append(clock() - start)
    return statistics.median(runs)


def _leaves(args: tuple, grad_inputs: tuple[int, ...]) -> tuple:
    """Detached copies of recorded inputs; those at ``grad_inputs`` require grad."""
    return tuple(a.detach().requires_grad_(i in grad_inputs) if isinstance(a, Tensor) else a
                 for i, a in enumerate(args))


def component_costs(model: nn.Module, timer: PhaseTimer, clock: Clock, amp: bool,
                    device: str) -> dict[str, float]:
    """Forward + backward seconds of each 2D-branch component alone, on the inputs it saw in a step.

    Each component runs on its last recorded inputs (detached leaves that require grad); the
    backward pass sums the outputs' gradients into those leaves. Target-side parts and K-means run
    under ``no_grad`` as in training. Per step each component runs twice (once per direction or view).
    """
    parts = components(model)
    dtype = torch.bfloat16 if device == 'cpu' else torch.float16
    autocast = (lambda: torch.autocast(device.split(':')[0], dtype=dtype)) if amp else nullcontext
    costs = {}
    for name, grad_inputs in GRAD_INPUTS.items():
        module = parts[name]
        if module is None or name not in timer.inputs:
            continue
        grad = bool(grad_inputs)
        args = _leaves(timer.inputs[name], grad_inputs)

        def run(module=module, args=args, grad=grad):
            with autocast(), (nullcontext() if grad else torch.no_grad()):
                out = module(*args)
            tensors = [t for t in (out if isinstance(out, tuple) else (out,))
                       if isinstance(t, Tensor) and t.requires_grad]
            if grad and tensors:
                sum(t.float().sum() for t in tensors).backward()
        costs[name] = 2 * measure(run, clock)  # two calls per training step
    return costs


def count_macs(models: dict[str, nn.Module], data: tuple, args: argparse.Namespace) -> tuple[dict, dict]:
    """Multiply-accumulates per pair of a whole step (forward + backward) of each model, and of
    MultiSiam's forward per component."""
    step_macs, parts = {}, {}
    for name, model in models.items():
        inputs, samples = model.data_preprocessor(dict(inputs=data[0], data_samples=data[1]), True)
        with FlopCounterMode(display=False) as counter:
            sum(model.loss(inputs, samples).values()).backward()
        model.zero_grad(set_to_none=True)
        step_macs[name] = counter.get_total_flops() / 2 / args.batch
    model = models['MultiSiam']
    named = {module: label for label, module in components(model).items() if module is not None}
    counter = FlopCounterMode(display=False)
    totals = defaultdict(float)
    hooks = []
    for module, label in named.items():
        hooks.append(module.register_forward_pre_hook(
            lambda m, a, label=label: totals.__setitem__('_start_' + label, counter.get_total_flops())))
        hooks.append(module.register_forward_hook(
            lambda m, a, o, label=label: totals.__setitem__(
                label, totals[label] + counter.get_total_flops() - totals['_start_' + label])))
    inputs, samples = model.data_preprocessor(dict(inputs=data[0], data_samples=data[1]), True)
    with counter, torch.no_grad():
        model.loss(inputs, samples)
    for hook in hooks:
        hook.remove()
    parts = {label: macs / 2 / args.batch for label, macs in totals.items() if not label.startswith('_start_')}
    return step_macs, parts


def kmeans_scaling(device: str, clock: Clock, channels: int = 256) -> list[tuple[int, int, float]]:
    """Seconds per batched K-means call (K=3, 10 iterations) for several batch and map sizes."""
    rows = []
    for batch, cells in KMEANS_SHAPES:
        feats = torch.randn(batch, cells, channels, device=device)
        rows.append((batch, cells, measure(lambda: batched_kmeans(feats, 3), clock)))
    return rows


def report(args: argparse.Namespace, clock: Clock, times: dict, phases: dict, costs: dict, step_macs: dict,
           part_macs: dict, params: dict, kmeans: list) -> str:
    med_wall = {name: statistics.median(t[0] for t in runs) for name, runs in times.items()}
    med = {name: statistics.median(t[1] for t in runs) for name, runs in times.items()}
    lines = [f'# ResNet-{args.depth}, batch {args.batch} pairs, {args.size} px, device {args.device}, amp={args.amp}, '
             f'channels_last={args.channels_last}, torch threads {torch.get_num_threads()}, {args.steps} steps '
             f'after {args.warmup} warm-up, timed on the {clock.name}; MultiSiam options: '
             f'{args.multisiam_options or "none"}']
    lines.append('\n## 1. Step time (median)')
    for name in CONFIGS:
        lines.append(f'{name:10s} {clock.name}: {med[name] * 1000:8.1f} ms   wall: {med_wall[name] * 1000:8.1f} ms')
    lines.append(f'ratio MultiSiam / BYOL: {med["MultiSiam"] / med["BYOL"]:.3f} ({clock.name}), '
                 f'{med_wall["MultiSiam"] / med_wall["BYOL"]:.3f} (wall)')

    lines.append(f'\n## 2. Step phases (ms per step, mean; % of the BYOL step; {clock.name})')
    lines.append(f'| phase | BYOL | MultiSiam | MultiSiam - BYOL | (% of BYOL step) |')
    lines.append('| --- | --- | --- | --- | --- |')
    byol_step = med['BYOL']
    names = list(dict.fromkeys(list(phases['MultiSiam']) + list(phases['BYOL'])))
    order = ['preprocess', 'forward (all)'] + [n for n in names if n not in (
        'preprocess', 'forward (all)', 'backward', 'optimizer (LARS)')] + ['backward', 'optimizer (LARS)']
    for name in order:
        b, m = (phases[k].get(name, 0.0) / args.steps for k in ('BYOL', 'MultiSiam'))
        indent = '  ' if name not in ('preprocess', 'forward (all)', 'backward', 'optimizer (LARS)') else ''
        lines.append(f'| {indent}{name} | {b * 1000:.1f} | {m * 1000:.1f} | {(m - b) * 1000:+.1f} | '
                     f'{(m - b) / byol_step * 100:+.1f}% |')
    lines.append(f'| step (median) | {med["BYOL"] * 1000:.1f} | {med["MultiSiam"] * 1000:.1f} | '
                 f'{(med["MultiSiam"] - byol_step) * 1000:+.1f} | {(med["MultiSiam"] / byol_step - 1) * 100:+.1f}% |')

    if costs:
        lines.append(f'\n## 3. 2D-branch components alone, forward + backward, ms per step (two calls)')
        for name, seconds in costs.items():
            lines.append(f'  {name:24s} {seconds * 1000:8.2f}  ({seconds / byol_step * 100:5.2f}% of the BYOL step)')
        lines.append(f'  {"sum":24s} {sum(costs.values()) * 1000:8.2f}  '
                     f'({sum(costs.values()) / byol_step * 100:5.2f}%)')
    if step_macs:
        lines.append('\n## 4. Compute: multiply-accumulates per pair (two views), FlopCounterMode')
        for name in CONFIGS:
            lines.append(f'{name:10s} step (forward + backward): {step_macs[name] / 1e9:8.3f} GMAC   '
                         f'parameters: {params[name][0] / 1e6:6.2f} M trained, {params[name][1] / 1e6:6.2f} M '
                         'EMA-averaged')
        lines.append(f'MAC ratio MultiSiam / BYOL: {step_macs["MultiSiam"] / step_macs["BYOL"]:.3f} '
                     f'(trained parameters {params["MultiSiam"][0] / params["BYOL"][0]:.3f}, EMA-averaged '
                     f'{params["MultiSiam"][1] / params["BYOL"][1]:.3f})')
        lines.append('MultiSiam forward per component, GMAC per pair:')
        for name, macs in part_macs.items():
            lines.append(f'  {name:24s} {macs / 1e9:9.4f}')
    if kmeans:
        lines.append(f'\n## 5. Batched K-means (K=3, 10 iterations, 256 channels, {clock.name})')
        lines.append('| B | HW | ms | ms per image | us per image and cell |')
        lines.append('| --- | --- | --- | --- | --- |')
        for batch, cells, seconds in kmeans:
            lines.append(f'| {batch} | {cells} | {seconds * 1000:.2f} | {seconds * 1000 / batch:.3f} | '
                         f'{seconds * 1e6 / batch / cells:.2f} |')
    return '\n'.join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.device == 'cpu':
        torch.set_num_threads(args.threads)
    init_default_scope('mmselfsup')
    MessageHub.get_current_instance().update_info('max_iters', 10_000)
    torch.manual_seed(0)
    clock = Clock(args.device)
    models, data, times, timers, phases = compare_steps(args, clock)
    costs, step_macs, part_macs = {}, {}, {}
    params = {name: (sum(p.numel() for p in model.parameters() if p.requires_grad),  # trained (LARS)
                     sum(p.numel() for p in model.target_net.module.parameters()))  # EMA-averaged
              for name, model in models.items()}
    if not args.skip_components:
        costs = component_costs(models['MultiSiam'], timers['MultiSiam'], clock, args.amp, args.device)
        step_macs, part_macs = count_macs(models, data, args)
    kmeans = [] if args.skip_kmeans_scaling else kmeans_scaling(args.device, clock)
    print_log(report(args, clock, times, phases, costs, step_macs, part_macs, params, kmeans))


if __name__ == '__main__':
    main()
