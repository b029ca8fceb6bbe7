"""Part ``d`` of the GPU check: does the shipped data pipeline keep MultiSiam fed, and if not, which stage
limits it.

1. ``lab/benchmark_throughput.py``'s measurement, as it is
   (:func:`lab.speed.measure_throughput`): BYOL's and MultiSiam's model-only
   pairs/s (fp16 autocast), the pipeline's pairs/s in a DataLoader with ``--workers`` processes over
   1920x1280 JPEG mosaics of the bundled CamVid frames, and MultiSiam fed by that DataLoader, as a
   fraction of model-only (target: at least 0.9): as shipped (workers decode and crop, the model's
   preprocessor augments on the GPU) and with the augmentation in the workers (the old path);
2. per stage, one worker process's milliseconds per pair (process CPU clock, one thread, as a
   DataLoader worker runs): JPEG decoding at the scale ``LoadAndPairCrop`` picks, the rest of
   ``LoadAndPairCrop`` (crop and resize), the per-view colour augmentation in the workers (old path)
   or the drawing of its parameters (shipped), packing, and collation of a batch; and, in the main
   process, the augmentation on the device and host-to-device copies of a pinned batch. Each stage's
   ceiling is what ``--workers`` processes (or the main process) could deliver if that stage were all
   they did; the lowest ceiling is the limit, and ``workers / sum(ms)`` of a path's worker stages is
   its pipeline's own ceiling.

    python lab/device/pipeline_check.py                       # 16 workers, ResNet-50, batch 128
    python lab/device/pipeline_check.py --device cpu --tiny   # the rehearsal
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

from lab.speed import (AUGMENT_PATHS, PIPELINE_CONFIG, SpeedSettings, frame_paths, init_step_benchmark,
                       measure_throughput, mosaics, repo_config, write_jpegs)
from multisiam_mm.datasets.image_decoding import open_reducible_jpeg
from report_line import say

COLOUR = 'colour (per-view augment, in the workers)'
DRAW = 'draw augment parameters (workers, shipped)'
DEVICE = 'augmentation on the device (shipped)'
COPY = 'host-to-device copy'


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
    # lab/benchmark_throughput.py's options, as its command line would set them
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


def stage_times(paths: list, args: argparse.Namespace) -> tuple[dict[str, float], dict]:
    """Milliseconds per pair of each pipeline stage, in this process with one thread (one worker), and
    a collated batch of the shipped pipeline (for the device's share)."""
    torch.set_num_threads(1)
    cv2.setNumThreads(0)
    steps = repo_config(PIPELINE_CONFIG).train_pipeline
    steps[0]['size'] = args.bench.size
    # first step: load and pair crop; then the per-view augmentation, as shipped (draws only) and in the
    # workers; last: pack
    load_crop, draw, pack = Compose(steps[:1]), Compose(steps[1:-1]), Compose(steps[-1:])
    colour = Compose([dict(steps[1], on_device=False)])
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
    times[COLOUR] = cpu_ms(lambda i: colour(dict(loaded[i])), args.stage_pairs)
    drawn = []
    times[DRAW] = cpu_ms(lambda i: drawn.append(draw(dict(loaded[i]))), args.stage_pairs)
    packed = []
    times['pack'] = cpu_ms(lambda i: packed.append(pack(dict(drawn[i]))), args.stage_pairs)
    batch = args.bench.batch
    samples = [packed[i % len(packed)] for i in range(batch)]
    times['collation'] = cpu_ms(lambda i: default_collate(samples), 5) / batch
    say(f'decode scales used (1, 2, 4, 8): {[scales.count(s) for s in (1, 2, 4, 8)]}')
    return times, default_collate(samples)


def device_augment_ms(batch: dict, args: argparse.Namespace) -> float:
    """Milliseconds per pair the model's preprocessor spends augmenting a shipped batch on the device
    (wall clock after a sync; the plain preprocessor's normalization subtracted)."""
    from lab.speed import build_model, wall
    preprocessor = build_model('MultiSiam', args.bench.depth, args.device).data_preprocessor
    plain = dict(batch, data_samples=None)  # no view_augment: normalization only

    def median_ms(data) -> float:
        preprocessor(data, True)
        runs = []
        for _ in range(5):
            start = wall(args.device)
            preprocessor(data, True)
            runs.append(wall(args.device) - start)
        return statistics.median(runs) * 1000
    return max(median_ms(batch) - median_ms(plain), 0.0) / args.bench.batch


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
            f'{bench.size} px, autocast {"fp16" if args.device.startswith("cuda") else "bf16"} '
            '(benchmark_step\'s step: '
            'no loss scaler)')
        rates = measure_throughput(SpeedSettings.from_args(bench), folder)
        say('')
        say('| measurement | pairs/s |')
        say('| --- | --- |')
        for name, rate in rates.items():
            say(f'| {name} | {rate:.1f} |')
        model_only = rates['model only: MultiSiam']
        fractions = {path: rates[f'end to end: MultiSiam ({path})'] / model_only for path in AUGMENT_PATHS}
        say('')
        for path, fraction in fractions.items():
            say(f'{path}: end to end / model only (MultiSiam) **{fraction:.3f}** (target >= 0.9); pipeline / model '
                f'{rates[f"pipeline only ({path})"] / model_only:.2f}')
        times, batch = stage_times(paths, args)
    times[DEVICE] = device_augment_ms(batch, args)
    if args.device.startswith('cuda'):
        times[COPY] = host_to_device_ms(args)
    in_main = (DEVICE, COPY)
    say('')
    say(f'| stage | ms per pair (workers: one worker, CPU clock; device: wall clock) | ceiling, pairs/s '
        f'({bench.workers} workers; main process for the device and the copy) |')
    say('| --- | --- | --- |')
    ceilings = {}
    for name, ms in times.items():
        parallel = 1 if name in in_main else bench.workers
        ceilings[name] = parallel * 1000 / ms if ms > 0 else float('inf')
        say(f'| {name} | {ms:.2f} | {ceilings[name]:.0f} |')
    for path, left_out in (('shipped', COLOUR), ('workers augment', DRAW)):
        in_workers = sum(v for k, v in times.items() if k not in in_main and k != left_out)
        say(f'| all worker stages ({path}) | {in_workers:.2f} | {bench.workers * 1000 / in_workers:.0f} |')
    shipped = {k: v for k, v in ceilings.items() if k != COLOUR}
    worst = min(shipped, key=lambda k: shipped[k])
    fraction = fractions['device augments']
    verdict = 'keeps up' if fraction >= 0.9 else 'does not keep up'
    say('')
    say(f'The shipped pipeline {verdict} (end to end {fraction:.3f} of model-only, {model_only:.0f} pairs/s '
        f'model-only; with the augmentation in the workers {fractions["workers augment"]:.3f}); its stage with '
        f'the lowest ceiling is **{worst}** ({times[worst]:.2f} ms per pair, {ceilings[worst]:.0f} pairs/s).')

if __name__ == '__main__':
    main()
