"""Pairs per second: the model alone, the data pipeline alone with all its workers, and both together.

Answers whether the data pipeline keeps up with the GPU (docs/performance.md, item 5), in one run:

1. **model only**: BYOL and MultiSiam training steps (preprocess, forward with the EMA update,
   backward, LARS) on one fixed batch already on the device, as in ``benchmark_step.py``
   (the measurements are :func:`lab.speed.measure_throughput`);
2. **pipeline only**: the shipped MultiSiam pipeline (``configs/_base_/pipelines/multisiam.py``)
   in a PyTorch DataLoader with ``--workers`` processes, over 1920x1280 JPEGs (mosaics of real frames,
   Waymo's camera size, :func:`lab.speed.mosaics`), batches collated as in training; as
   shipped (workers decode and crop, the model's preprocessor augments on the device) and with the
   augmentation in the workers (``on_device=False``);
3. **end to end**: MultiSiam fed by each DataLoader, and the fraction of the model-only rate it
   reaches (1.0: the pipeline hides entirely behind the model).

Times are on the wall clock (after ``torch.cuda.synchronize()`` on a GPU): workers run in parallel
processes, so a process clock would not count them.

On a GPU machine (the issue's setting: one H100 or H200, 16 CPU cores; about ten minutes):

    python -m lab.benchmark_throughput --depth 50 --batch 128 --amp --workers 16

A small CPU check: ``python -m lab.benchmark_throughput --depth 18 --batch 4 --size 64
--workers 2 --steps 2 --device cpu``.
"""
import argparse
import os
import tempfile

import cv2
import torch
from mmengine.config import DictAction

from lab.speed import (AUGMENT_PATHS, WIDTH, SpeedSettings, frame_paths, init_step_benchmark, measure_throughput,
                       mosaics, write_jpegs)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--depth', type=int, default=50, choices=sorted(WIDTH))
    parser.add_argument('--batch', type=int, default=128, help='pairs per step')
    parser.add_argument('--size', type=int, default=224, help='crop size of both views')
    parser.add_argument('--steps', type=int, default=20, help='timed steps (batches) per measurement')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--workers', type=int, default=os.cpu_count(), help='DataLoader worker processes')
    parser.add_argument('--img-dir', default='demo/camvid/train', help='real frames the JPEGs are made of')
    parser.add_argument('--num-images', type=int, default=32, help='1920x1280 JPEGs cycled through')
    parser.add_argument('--large-size', type=int, nargs=2, default=(1920, 1280), metavar=('W', 'H'))
    parser.add_argument('--amp', action='store_true', help='autocast (float16 on CUDA, bfloat16 on CPU)')
    parser.add_argument('--channels-last', action='store_true')
    parser.add_argument('--multisiam-options', nargs='+', action=DictAction, default={},
                        help='override MultiSiam config settings, as in benchmark_step.py')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    return parser.parse_args(argv)


def report(args: argparse.Namespace, rates: dict) -> str:
    device = torch.cuda.get_device_name() if args.device.startswith('cuda') else 'cpu'
    lines = [f'# ResNet-{args.depth}, batch {args.batch} pairs, {args.size} px, {device}, amp={args.amp}, '
             f'channels_last={args.channels_last}, {args.workers} workers, {os.cpu_count()} CPUs, '
             f'{args.large_size[0]}x{args.large_size[1]} JPEGs, median of {args.steps} steps (wall clock); '
             f'MultiSiam options: {args.multisiam_options or "none"}']
    for name, rate in rates.items():
        lines.append(f'{name:24s} {rate:9.1f} pairs/s')
    model_only = rates['model only: MultiSiam']
    lines.append(f'MultiSiam / BYOL (model only): {model_only / rates["model only: BYOL"]:.3f} of the pairs/s')
    for path in AUGMENT_PATHS:
        lines.append(f'{path}: pipeline / model (MultiSiam) {rates[f"pipeline only ({path})"] / model_only:.2f}, '
                     f'end to end / model only {rates[f"end to end: MultiSiam ({path})"] / model_only:.3f}')
    return '\n'.join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    init_step_benchmark()
    frames = [cv2.imread(path) for path in frame_paths(args.img_dir, args.num_images)]
    with tempfile.TemporaryDirectory() as folder:  # mosaics: sharp per pixel, the hard case for decoding
        write_jpegs(mosaics(frames, tuple(args.large_size)), folder, 'mosaic')
        print(report(args, measure_throughput(SpeedSettings.from_args(args), folder)), flush=True)


if __name__ == '__main__':
    main()
