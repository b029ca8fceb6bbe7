"""MultiSiam's training step under MMPretrain 1.2 versus MMSelfSup 1.0, the same model, in one run.

The hosts never share a process (docs/install.md), so each measurement is a worker process in that host's
environment (``.venv``, ``.venv-mmpretrain``): it builds MultiSiam from the host's config (the same model:
the core's algorithm, alignment, clustering and EMA, the host's ResNet, projector, predictor and LARS), runs
``--warmup`` untimed and ``--steps`` timed full training steps (:func:`lab.speed.train_step`: preprocess,
forward with the EMA update, backward, LARS) on :func:`lab.speed.fake_batch`, one thread, on the process
CPU clock (or the synchronized wall clock on CUDA), and prints its step times. The hosts' workers alternate
for ``--rounds`` rounds, which host goes first swapping every round, so that machine noise hits both alike;
printed: each host's median step, the ratio
MMPretrain / MMSelfSup over all steps and per round.

Example (from the repo root, either environment):
    python -m lab.benchmark_hosts --depth 18 --batch 16 --size 128 --steps 10 --rounds 3
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the environment of each host (tools/setup/install.sh --host both)
PYTHONS = {'mmselfsup': ROOT / '.venv/bin/python', 'mmpretrain': ROOT / '.venv-mmpretrain/bin/python'}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--depth', type=int, default=18)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--size', type=int, default=128)
    parser.add_argument('--steps', type=int, default=10, help='timed steps per worker')
    parser.add_argument('--warmup', type=int, default=2, help='untimed steps first')
    parser.add_argument('--rounds', type=int, default=3, help='workers per host, alternating')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--worker', choices=sorted(PYTHONS), help=argparse.SUPPRESS)  # one host's measurement
    return parser.parse_args(argv)


def measure(args: argparse.Namespace) -> list[float]:
    """In the worker: ``args.steps`` timed training steps of MultiSiam under ``args.worker``."""
    import torch

    from lab.speed import Clock, PhaseTimer, SpeedSettings, build_trainable, fake_batch, init_step_benchmark, train_step
    torch.set_num_threads(1)
    settings = SpeedSettings(depth=args.depth, batch=args.batch, size=args.size, device=args.device, host=args.worker)
    init_step_benchmark(host=args.worker)
    model, optimizer = build_trainable('MultiSiam', settings)
    clock = Clock(args.device)
    data, timer = fake_batch(args.batch, args.size, args.device), PhaseTimer(model, clock, hooks=False)
    times = []
    for step in range(args.warmup + args.steps):
        start = clock()
        train_step(model, optimizer, data, settings, timer)
        if step >= args.warmup:
            times.append(clock() - start)
    return times


def host_environment(**extra: str) -> dict:
    """This process's environment variables without what points at another Python (an active virtual
    environment, a search path), for a process run by :data:`PYTHONS`' interpreter of another host."""
    env = {key: value for key, value in os.environ.items() if key not in ('VIRTUAL_ENV', 'PYTHONPATH')}
    return dict(env, **extra)


def run_worker(host: str, argv: list[str]) -> list[float]:
    """One measurement in ``host``'s environment: its step times."""
    result = subprocess.run([str(PYTHONS[host]), '-m', 'lab.benchmark_hosts', *argv, '--worker', host], cwd=ROOT,
                            env=host_environment(OMP_NUM_THREADS='1'), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f'the {host} worker failed:\n{result.stderr[-3000:]}')
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(measure(args)))
        return
    missing = [str(python) for python in PYTHONS.values() if not python.exists()]
    if missing:
        sys.exit(f'no environment at {missing}: bash tools/setup/install.sh --host both')
    order = list(PYTHONS)
    rounds = [{host: run_worker(host, argv) for host in (order if r % 2 == 0 else order[::-1])}
              for r in range(args.rounds)]  # ABBA: neither host always runs first
    median = {host: statistics.median(t for r in rounds for t in r[host]) for host in PYTHONS}
    print(f'MultiSiam ResNet-{args.depth}, batch {args.batch}, {args.size} px, {args.device}, one thread: '
          f'median training step over {args.rounds} x {args.steps} steps')
    for host, seconds in median.items():
        print(f'  {host:10s} {seconds * 1e3:8.1f} ms')
    print(f'  ratio mmpretrain / mmselfsup: {median["mmpretrain"] / median["mmselfsup"]:.3f} (per round: '
          + ', '.join(f'{statistics.median(r["mmpretrain"]) / statistics.median(r["mmselfsup"]):.3f}' for r in rounds)
          + ')')


if __name__ == '__main__':
    main()
