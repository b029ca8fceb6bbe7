"""Training-step cost of MultiSiam versus mmselfsup's BYOL, measured side by side in one process.

Both models come from the repo's configs (``configs/multisiam_r50_waymo.py`` and
``configs/baselines/byol_r50_waymo.py``) with the backbone depth, batch and resolution given here; models,
synthetic batch, clock and step are :mod:`lab.speed`'s (``python -m lab.benchmark_step`` from the repo root).
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
    python -m lab.benchmark_step --depth 18 --batch 16 --size 128
    python -m lab.benchmark_step --depth 50 --batch 4 --size 224 --steps 4
    python -m lab.benchmark_step --depth 18 --batch 16 --size 128 --amp --channels-last
    python -m lab.benchmark_step --device cuda --depth 50 --batch 128 --size 224 --no-hooks
    python -m lab.benchmark_step --depth 50 --batch 4 --size 224 \
        --multisiam-options model.neck.projector_2d.hid_channels=2048   # a narrower 2D projector
"""
import argparse
import statistics
import time
from contextlib import nullcontext
from typing import Callable

import torch
from mmengine.config import DictAction
from mmengine.logging import print_log
from torch import Tensor, nn

from lab.speed import (CONFIGS, WIDTH, Clock, PhaseTimer, SpeedSettings, build_trainable, components, count_macs,
                       fake_batch, init_step_benchmark, train_step)
from multisiam_mm.models.clustering import batched_kmeans

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


def compare_steps(args: argparse.Namespace, clock: Clock) -> tuple[dict, tuple, dict, dict, dict]:
    """Alternate full steps of both models; return models, data, per-step (wall, clock) times, timers and
    the phase totals of the timed steps."""
    models, optimizers, timers = {}, {}, {}
    settings = SpeedSettings.from_args(args)
    for name in CONFIGS:
        models[name], optimizers[name] = build_trainable(name, settings)
        timers[name] = PhaseTimer(models[name], clock, hooks=not args.no_hooks)
    data = fake_batch(args.batch, args.size, args.device)
    times = {name: [] for name in CONFIGS}
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            for timer in timers.values():
                timer.totals.clear()
        for name in CONFIGS:  # alternate: both models see the same machine state
            wall, cpu = time.perf_counter(), clock()
            train_step(models[name], optimizers[name], data, settings, timers[name])
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
    lines.append('| phase | BYOL | MultiSiam | MultiSiam - BYOL | (% of BYOL step) |')
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
        lines.append('\n## 3. 2D-branch components alone, forward + backward, ms per step (two calls)')
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
    init_step_benchmark()
    clock = Clock(args.device)
    models, data, times, timers, phases = compare_steps(args, clock)
    costs, step_macs, part_macs = {}, {}, {}
    params = {name: (sum(p.numel() for p in model.parameters() if p.requires_grad),  # trained (LARS)
                     sum(p.numel() for p in model.target_net.module.parameters()))  # EMA-averaged
              for name, model in models.items()}
    if not args.skip_components:
        costs = component_costs(models['MultiSiam'], timers['MultiSiam'], clock, args.amp, args.device)
        step_macs, part_macs = count_macs(models, data, SpeedSettings.from_args(args))
    kmeans = [] if args.skip_kmeans_scaling else kmeans_scaling(args.device, clock)
    print_log(report(args, clock, times, phases, costs, step_macs, part_macs, params, kmeans))


if __name__ == '__main__':
    main()
