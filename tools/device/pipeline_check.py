"""Part ``d`` of the GPU check: does the shipped data pipeline keep MultiSiam fed, and if not, which stage
limits it.

1. ``tools/analysis/benchmark_throughput.py``'s measurement, as it is
   (:func:`multisiam_mm.apis.speed.measure_throughput`): BYOL's and MultiSiam's model-only
   pairs/s (fp16 autocast), the shipped pipeline's pairs/s in a DataLoader with ``--workers`` processes
   over 1920x1280 JPEG mosaics of the bundled CamVid frames, and MultiSiam fed by that DataLoader,
   as a fraction of model-only (target: at least 0.9);
2. per stage, one worker process's milliseconds per pair (process CPU clock, one thread, as a
   DataLoader worker runs): JPEG decoding at the scale ``LoadAndPairCrop`` picks, the rest of
   ``LoadAndPairCrop`` (crop and resize), the per-view colour augmentation (``PerViewAugment``),
   packing, and collation of a batch; and host-to-device copies of a pinned batch in the main process.
   Each stage's ceiling is what ``--workers`` processes (or the copy engine) could deliver if that
   stage were all they did; the lowest ceiling is the limit. Only decode + crop/resize + colour + pack +
   collation run in every worker, so ``workers / sum(ms)`` is the pipeline's own ceiling.

    python tools/device/pipeline_check.py                       # 16 workers, ResNet-50, batch 128
    python tools/device/pipeline_check.py --device cpu --tiny   # the rehearsal
"""
import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
import torch
from mmengine.dataset import Compose, default_collate

from multisiam_mm.apis.speed import (PIPELINE_CONFIG, frame_paths, init_step_benchmark, measure_throughput, mosaics,
                                     repo_config, write_jpegs)
from multisiam_mm.datasets.transforms.load_and_pair_crop import open_reducible_jpeg
from report_line import say


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--tiny', action='store_true', help='ResNet-18, 64 px, batch 2, 2 workers, 640x480')
    parser.add_argument('--workers', type=int, default=16)
    parser.add_argument('--stage-pairs', type=int, default=64, help='pairs timed per stage')
    args = parser.parse_args(argv)
    sizes = dict(depth=18, batch=2, size=64, workers=2, steps=2, warmup=1, num_images=4, large_size=(640, 480)) \
        if args.tiny else dict(depth=50, batch=128, size=224, workers=args.workers, steps=20, warmup=3, num_images=32,
                               large_size=(1920, 1280))
    # tools/analysis/benchmark_throughput.py's options, as its command line would set them
    args.bench = argparse.Namespace(**sizes, amp=True, channels_last=False, multisiam_options={},
                                    device=args.device, img_dir='demo/camvid/train')
    if args.tiny:
        args.stage_pairs = 4
    return args


def cpu_ms(fn, repeats: int) -> float:
    """Median process-CPU milliseconds of ``fn(i)`` over ``repeats`` calls."""
    runs = []
    for i in range(repeats):
        start = time.process_time()
        fn(i)
        runs.append(time.process_time() - start)
    return statistics.median(runs) * 1000


def stage_times(paths: list, args: argparse.Namespace) -> dict[str, float]:
    """Milliseconds per pair of each pipeline stage, in this process with one thread (one worker)."""
    torch.set_num_threads(1)
    cv2.setNumThreads(0)
    steps = repo_config(PIPELINE_CONFIG).train_pipeline
    steps[0]['size'] = args.bench.size
    # first step: load and pair crop; last: pack; between them the per-view colour augmentation
    load_crop, augment, pack = Compose(steps[:1]), Compose(steps[1:-1]), Compose(steps[-1:])
    contents = [Path(p).read_bytes() for p in paths]
    np.random.seed(0)
    loaded = [load_crop(dict(img_path=paths[i % len(paths)])) for i in range(args.stage_pairs)]
    scales = [sample['decode_scale'] for sample in loaded]

    def decode(i):  # the JPEG decode alone, at the scale LoadAndPairCrop chose for this pair
        image = open_reducible_jpeg(contents[i % len(contents)])
        if image is None:
            cv2.imdecode(np.frombuffer(contents[i % len(contents)], np.uint8), cv2.IMREAD_COLOR)
            return
        if scales[i] > 1:
            image.draft(image.mode, (image.width // scales[i], image.height // scales[i]))
        image.load()

    times = {'decode': cpu_ms(decode, args.stage_pairs)}
    total_load = cpu_ms(lambda i: load_crop(dict(img_path=paths[i % len(paths)])), args.stage_pairs)
    times['crop/resize'] = max(total_load - times['decode'], 0.0)
    augmented = []
    times['colour (per-view augment)'] = cpu_ms(
        lambda i: augmented.append(augment(dict(loaded[i]))), args.stage_pairs)
    packed = []
    times['pack'] = cpu_ms(lambda i: packed.append(pack(dict(augmented[i]))), args.stage_pairs)
    batch = args.bench.batch
    samples = [packed[i % len(packed)] for i in range(batch)]
    times['collation'] = cpu_ms(lambda i: default_collate(samples), 5) / batch
    say(f'decode scales used (1, 2, 4, 8): {[scales.count(s) for s in (1, 2, 4, 8)]}')
    return times


def host_to_device_ms(args: argparse.Namespace) -> float:
    """Milliseconds per pair to copy a pinned uint8 batch of two views to the GPU (main process)."""
    views = [torch.randint(0, 256, (args.bench.batch, 3, args.bench.size, args.bench.size),
                           dtype=torch.uint8).pin_memory() for _ in range(2)]
    for _ in range(3):
        [v.to(args.device, non_blocking=True) for v in views]
    torch.cuda.synchronize()
    runs = []
    for _ in range(10):
        start = time.perf_counter()
        [v.to(args.device, non_blocking=True) for v in views]
        torch.cuda.synchronize()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000 / args.bench.batch


def main(argv=None) -> None:
    args = parse_args(argv)
    bench = args.bench
    init_step_benchmark()
    frames = [cv2.imread(p) for p in frame_paths(bench.img_dir, bench.num_images)]
    with tempfile.TemporaryDirectory() as folder:
        paths = write_jpegs(mosaics(frames, tuple(bench.large_size)), folder, 'mosaic')
        say(f'{len(paths)} JPEG mosaics of {bench.large_size[0]}x{bench.large_size[1]} from the bundled CamVid frames, '
            f'{bench.workers} workers, {os.cpu_count()} CPUs, ResNet-{bench.depth}, batch {bench.batch}, '
            f'{bench.size} px, autocast {"fp16" if args.device.startswith("cuda") else "bf16"} (benchmark_step\'s step: '
            'no loss scaler)')
        rates = measure_throughput(bench, folder)
        say('')
        say('| measurement | pairs/s |')
        say('| --- | --- |')
        for name, rate in rates.items():
            say(f'| {name} | {rate:.1f} |')
        model_only = rates['model only: MultiSiam']
        fraction = rates['end to end: MultiSiam'] / model_only
        say('')
        say(f'end to end / model only (MultiSiam): **{fraction:.3f}** (target >= 0.9); pipeline / model: '
            f'{rates["pipeline only"] / model_only:.2f}')
        times = stage_times(paths, args)
    if args.device.startswith('cuda'):
        times['host-to-device copy'] = host_to_device_ms(args)
    in_workers = sum(v for k, v in times.items() if k != 'host-to-device copy')
    say('')
    say(f'| stage | ms per pair (one worker, CPU clock) | ceiling, pairs/s ({bench.workers} workers; the copy: '
        'main process) |')
    say('| --- | --- | --- |')
    ceilings = {}
    for name, ms in times.items():
        parallel = 1 if name == 'host-to-device copy' else bench.workers
        ceilings[name] = parallel * 1000 / ms if ms > 0 else float('inf')
        say(f'| {name} | {ms:.2f} | {ceilings[name]:.0f} |')
    say(f'| all worker stages | {in_workers:.2f} | {bench.workers * 1000 / in_workers:.0f} |')
    worst = min(ceilings, key=lambda k: ceilings[k])
    verdict = 'keeps up' if fraction >= 0.9 else 'does not keep up'
    say('')
    say(f'The pipeline {verdict} (end to end {fraction:.3f} of model-only, {model_only:.0f} pairs/s model-only); '
        f'the stage with the lowest ceiling is **{worst}** ({times[worst]:.2f} ms per pair, '
        f'{ceilings[worst]:.0f} pairs/s).')


if __name__ == '__main__':
    main()
