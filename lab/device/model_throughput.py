"""Part ``c`` of the GPU check: model-only pairs/s of BYOL and MultiSiam in fp16 and bf16, channels-last
on and off, and the MultiSiam/BYOL ratio beside its multiply-accumulate floor.

The models, the batch and the LARS optimizer are ``lab/benchmark_step.py``'s, from
:mod:`lab.speed` (built from ``configs/baselines/byol_r50_waymo.py`` and
``configs/multisiam_r50_waymo.py``, SyncBN as BN, one process); the MAC floor is its ``count_macs``.
What this adds is the precision: benchmark_step's step autocasts to float16 on CUDA, here each step
autocasts to the given dtype, and float16 goes through ``torch.amp.GradScaler`` as ``tools/train.py --amp``
does (AmpOptimWrapper, dynamic loss scale).
For each setting the two models alternate, step by step, so clocks and temperature hit both alike;
pairs/s is the batch over the median step, on the wall clock after ``torch.cuda.synchronize()``.

    python lab/device/model_throughput.py                      # ResNet-50, 224 px, batch 128
    python lab/device/model_throughput.py --device cpu --tiny  # the rehearsal: ResNet-18, 64 px, batch 2
"""
import argparse
import statistics

import torch

from lab.speed import (CONFIGS, SpeedSettings, build_trainable, count_macs, fake_batch, init_step_benchmark,
                       preprocess, wall)
from report_line import say

DTYPES = {'fp16': torch.float16, 'bf16': torch.bfloat16}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--tiny', action='store_true', help='ResNet-18, 64 px, batch 2, 1 step: the rehearsal')
    parser.add_argument('--depth', type=int, default=50)
    parser.add_argument('--batch', type=int, default=128)
    parser.add_argument('--size', type=int, default=224)
    parser.add_argument('--steps', type=int, default=10, help='timed steps per model and setting')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--dtypes', nargs='+', default=list(DTYPES), choices=list(DTYPES))
    args = parser.parse_args(argv)
    if args.tiny:
        args.depth, args.batch, args.size, args.steps, args.warmup = 18, 2, 64, 1, 1
    # what build_trainable and fake_batch read
    args.multisiam_options, args.amp, args.threads = {}, True, torch.get_num_threads()
    return args


class Trainer:
    """One model and its LARS; ``step`` is one full training step on ``data`` in the current setting."""

    def __init__(self, name: str, args: argparse.Namespace) -> None:
        self.model, self.optimizer = build_trainable(name, SpeedSettings.from_args(args))
        self.device = args.device
        self.set(torch.float16, False)

    def set(self, dtype: torch.dtype, channels_last: bool) -> None:
        """Precision (float16 with a fresh dynamic loss scaler, as ``--amp`` on CUDA) and memory layout."""
        self.dtype, self.channels_last = dtype, channels_last
        self.scaler = torch.amp.GradScaler(self.device.split(':')[0], enabled=dtype == torch.float16)
        layout = torch.channels_last if channels_last else torch.contiguous_format
        self.model.to(memory_format=layout)  # in place: the optimizer keeps its parameters

    def step(self, data: tuple) -> None:
        inputs, samples = preprocess(self.model, data)
        if self.channels_last:
            inputs = [x.contiguous(memory_format=torch.channels_last) for x in inputs]
        with torch.autocast(self.device.split(':')[0], dtype=self.dtype):
            losses = self.model.loss(inputs, samples)
        self.scaler.scale(sum(losses.values())).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.optimizer.zero_grad(set_to_none=True)


def pairs_per_second(trainers: dict, data: tuple, args: argparse.Namespace) -> dict[str, float]:
    """BYOL's and MultiSiam's pairs/s in the trainers' current setting, steps alternating between them."""
    times = {name: [] for name in trainers}
    for step in range(args.warmup + args.steps):
        for name, trainer in trainers.items():
            start = wall(args.device)
            trainer.step(data)
            if step >= args.warmup:
                times[name].append(wall(args.device) - start)
    return {name: args.batch / statistics.median(t) for name, t in times.items()}


def mac_floor(args: argparse.Namespace) -> tuple[float, dict]:
    """MultiSiam/BYOL multiply-accumulates of a whole step (per pair, independent of the batch)."""
    small = SpeedSettings.from_args(args)
    small.batch = min(args.batch, 8)
    models = {name: build_trainable(name, small)[0] for name in CONFIGS}
    data = fake_batch(small.batch, small.size, small.device)
    step_macs, _ = count_macs(models, data, small)
    del models
    return step_macs['MultiSiam'] / step_macs['BYOL'], step_macs


def main(argv=None) -> None:
    args = parse_args(argv)
    init_step_benchmark()
    if args.device.startswith('cuda'):
        torch.backends.cudnn.benchmark = True  # what a long run settles on; both models alike
    floor, macs = mac_floor(args)
    device = torch.cuda.get_device_name() if args.device.startswith('cuda') else 'cpu'
    say(f'ResNet-{args.depth}, {args.size} px, batch {args.batch} pairs, {device}; median of {args.steps} steps '
        f'after {args.warmup} warm-up, models alternating; fp16 with GradScaler, bf16 without')
    say(f'MAC floor of the ratio: {floor:.3f} (BYOL {macs["BYOL"] / 1e9:.2f}, MultiSiam {macs["MultiSiam"] / 1e9:.2f} '
        'GMAC per pair, forward + backward)')
    say('')
    say('| precision | channels-last | BYOL pairs/s | MultiSiam pairs/s | MultiSiam / BYOL time ratio | '
        'ratio / MAC floor |')
    say('| --- | --- | --- | --- | --- | --- |')
    trainers = {name: Trainer(name, args) for name in CONFIGS}
    data = fake_batch(args.batch, args.size, args.device)
    for channels_last in (False, True):
        for dtype_name in args.dtypes:
            try:
                for trainer in trainers.values():
                    trainer.set(DTYPES[dtype_name], channels_last)
                rates = pairs_per_second(trainers, data, args)
            except Exception as error:  # one setting failing (e.g. out of memory) leaves the others
                say(f'| {dtype_name} | {channels_last} | failed: {type(error).__name__}: {str(error)[:120]} | | | |')
                continue
            ratio = rates['BYOL'] / rates['MultiSiam']  # step-time ratio
            say(f'| {dtype_name} | {"on" if channels_last else "off"} | {rates["BYOL"]:.1f} | '
                f'{rates["MultiSiam"]:.1f} | {ratio:.3f} | {ratio / floor:.3f} |')
    say('')
    say('Target on the H200: time ratio at most 1.05x the MAC floor.')
    if args.device.startswith('cuda'):
        say(f'peak GPU memory: {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB')


if __name__ == '__main__':
    main()
