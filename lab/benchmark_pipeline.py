"""Two-view pipeline throughput (pairs/s in one worker process) against mmselfsup's BYOL pipeline, and how
close reduced-scale JPEG decoding stays to full decoding (PSNR).

All pipelines run side by side in one process on the same real images, interleaved in rounds so
that machine load affects them alike; throughput is counted on the process CPU clock (one worker
with a core of its own; other jobs on a shared machine do not inflate it) and on the wall clock.
Image sets: the frames as they are (CamVid, 480x360 JPEGs); the same frames upscaled to 1920x1280
(Waymo's camera size), smooth like an upscaled image; and a 1920x1280 mosaic of 4x4 native frames,
as sharp per pixel as the originals (harder for reduced decoding). Both large sets are re-encoded
as quality-95 JPEGs; the mosaic also at the quality that gives a Waymo camera image's bytes
(``WAYMO_QUALITY``: decoding time grows with the bytes). Pipelines:

* ``byol``: mmselfsup's ``imagenet_byol.py`` train pipeline, unchanged (LoadImageFromFile, MultiView);
* ``multisiam``: ``configs/_base_/pipelines/multisiam.py`` as shipped: the worker decodes, crops
  and draws each view's augmentation parameters, which the model's preprocessor applies on the device;
* ``multisiam-worker-augment``: the same with BYOL's per-view augmentation in the worker
  (``PerViewAugment(on_device=False)``: the same batched arithmetic, one view at a time on the worker's CPU);
* ``multisiam-exact``: the same with ``LoadAndPairCrop(decode='full')``: full-resolution decoding,
  views identical to ``LoadImageOrSkip`` + ``IoUConstrainedPairCrop``;
* ``multisiam-cv2``: exact decoding and OpenCV's resize (not antialiased);
* ``multisiam-no-iou``: the shipped pipeline with ``iou_threshold=None`` (independent crops, like BYOL's).

The device's share: :func:`multisiam_mm.views.augment_views` on batches of the shipped
pipeline's views and parameters, milliseconds per pair on this CPU (one thread), beside the worker-side
augmentation of the same pairs (``--augment-batch`` pairs, both views).

The PSNR table decodes the same sampled pairs both ways (``decode='full'`` vs ``'reduced'``, same
random state, so the same boxes) and compares the 224 x 224 views.

    python -m lab.benchmark_pipeline --img-dir ../shared/data/camvid/train --seconds 4
"""
import argparse
import copy
import math
import os
import random
import tempfile
import time

import cv2
import mmselfsup
import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, default_collate
from mmengine.logging import print_log
from mmengine.registry import init_default_scope

from lab.speed import PIPELINE_CONFIG, frame_paths, mosaics, repo_config, write_jpegs
from multisiam_mm.datasets.transforms import LoadAndPairCrop
from multisiam_mm.views import augment_views

#: the mosaics' JPEG quality at which a 1920x1280 frame has about the bytes of a Waymo camera image (390 KiB,
#: against 376 KiB a row of real Waymo JPEGs; quality 95 gives 990 KiB, whose Huffman decoding costs more)
WAYMO_QUALITY = 72
BYOL_CONFIG = os.path.join(os.path.dirname(mmselfsup.__file__), '.mim', 'configs', 'selfsup', '_base_',
                           'datasets', 'imagenet_byol.py')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--img-dir', default='demo/camvid/train', help='folder of real images')
    parser.add_argument('--num-images', type=int, default=32, help='images cycled through')
    parser.add_argument('--seconds', type=float, default=4., help='seconds per pipeline and image set')
    parser.add_argument('--rounds', type=int, default=4, help='interleaved rounds the seconds are split into')
    parser.add_argument('--large-size', type=int, nargs=2, default=[1920, 1280], metavar=('W', 'H'))
    parser.add_argument('--psnr-pairs', type=int, default=100, help='pairs per image set for the PSNR table')
    parser.add_argument('--oversample', type=float, nargs='+', default=[1.0, 1.5],
                        help="LoadAndPairCrop oversample values compared with decode='full'")
    parser.add_argument('--augment-batch', type=int, default=32, help='pairs per batch of the device augmentation')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def find_step(pipeline: list, kind: str) -> dict:
    """The pipeline's ``kind`` step (a config dict), to derive the variants from."""
    for step in pipeline:
        if step['type'] == kind:
            return step
    raise ValueError(f'{PIPELINE_CONFIG} has no {kind} step; the variants below edit it')


def find_pair_crop(pipeline: list) -> dict:
    """The pipeline's ``LoadAndPairCrop`` step."""
    return find_step(pipeline, 'LoadAndPairCrop')


def augment_cost(pipelines: dict, paths: list, pairs: int, seed: int) -> tuple[float, float]:
    """Milliseconds per pair (CPU clock) of the device's batched augmentation of ``pairs`` pairs, and of
    the worker-side per-view augmentation of the same pairs."""
    load, draw, pack = pipelines['multisiam'].transforms  # shipped: pair crop, draw the parameters, pack
    in_worker = pipelines['multisiam-worker-augment'].transforms[1]  # the same views' augmentation, in the worker
    np.random.seed(seed)
    loaded = [load(dict(img_path=paths[i % len(paths)])) for i in range(pairs)]
    start = time.process_time()
    for sample in loaded:
        in_worker(dict(sample))
    worker_ms = (time.process_time() - start) * 1000 / pairs
    batch = default_collate([pack(draw(dict(sample))) for sample in loaded])
    params = torch.stack([s.view_augment for s in batch['data_samples']], dim=1)  # (2, B, P)
    views = [view.float() for view in batch['inputs']]
    augment_views(views[0][:2], params[0][:2])  # warm up
    start = time.process_time()
    for view, view_params in zip(views, params):
        augment_views(view, view_params)
    return (time.process_time() - start) * 1000 / pairs, worker_ms


def build_pipelines() -> dict:
    init_default_scope('mmselfsup')
    shipped = repo_config(PIPELINE_CONFIG).train_pipeline
    variants = {'multisiam': {}, 'multisiam-worker-augment': {}, 'multisiam-exact': dict(decode='full'),
                'multisiam-cv2': dict(decode='full', backend='cv2'), 'multisiam-no-iou': dict(iou_threshold=None)}
    pipelines = {'byol': Compose(Config.fromfile(BYOL_CONFIG).train_pipeline)}
    for name, overrides in variants.items():
        pipeline = copy.deepcopy(shipped)
        find_pair_crop(pipeline).update(overrides)
        if name == 'multisiam-worker-augment':
            find_step(pipeline, 'PerViewAugment')['on_device'] = False
        pipelines[name] = Compose(pipeline)
    return pipelines


def make_image_sets(paths: list, size: tuple, folder: str) -> dict:
    """``{name: paths}``: the frames, upscaled to ``size`` (w, h), and a mosaic of native frames cut to ``size``."""
    frames = [cv2.imread(path) for path in paths]
    height, width = frames[0].shape[:2]
    upscaled = [cv2.resize(frame, tuple(size), interpolation=cv2.INTER_CUBIC) for frame in frames]
    tiles = mosaics(frames, size)
    return {f'{width}x{height} ({len(paths)} frames)': paths,
            f'{size[0]}x{size[1]} JPEG (upscaled)': write_jpegs(upscaled, folder, 'up'),
            f'{size[0]}x{size[1]} JPEG (mosaic, sharp)': write_jpegs(tiles, folder, 'mosaic'),
            f'{size[0]}x{size[1]} JPEG (mosaic, Waymo-sized)': write_jpegs(tiles, folder, 'waymo', WAYMO_QUALITY)}


def run_for(pipeline: Compose, paths: list, seconds: float, start: int) -> tuple[int, float, float, int]:
    """Run ``pipeline`` over ``paths`` cyclically for about ``seconds`` of wall time.

    Returns:
        pairs, wall seconds, process CPU seconds (what one worker with a core of its own would
        take; other jobs on a shared machine do not inflate it) and the next index.
    """
    count, began, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - began < seconds:
        sample = pipeline(dict(img_path=paths[(start + count) % len(paths)]))
        assert len(sample['inputs']) == 2
        count += 1
    return count, time.perf_counter() - began, time.process_time() - cpu, start + count


def benchmark(pipelines: dict, paths: list, seconds: float, rounds: int) -> dict:
    """``{name: (pairs per CPU second, pairs per wall second)}``, pipelines interleaved in rounds."""
    totals = {name: [0, 0.0, 0.0, 0] for name in pipelines}
    for name, pipeline in pipelines.items():  # warm up: imports, caches, first decodes
        run_for(pipeline, paths, min(1.0, seconds / 4), 0)
    for _ in range(rounds):
        for name, pipeline in pipelines.items():
            count, wall, cpu, nxt = run_for(pipeline, paths, seconds / rounds, totals[name][3])
            totals[name] = [totals[name][0] + count, totals[name][1] + wall, totals[name][2] + cpu, nxt]
    return {name: (count / cpu, count / wall) for name, (count, wall, cpu, _) in totals.items()}


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio of two uint8 images in dB (inf when identical)."""
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return math.inf if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def reduced_vs_full(paths: list, pairs: int, oversample: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """PSNR of every view (``2 * pairs``) between reduced and full decoding, and the decode factors used."""
    full, reduced = LoadAndPairCrop(decode='full'), LoadAndPairCrop(decode='reduced', oversample=oversample)
    values, factors = [], []
    for i in range(pairs):
        np.random.seed(seed + i)
        exact = full(dict(img_path=paths[i % len(paths)]))
        np.random.seed(seed + i)
        fast = reduced(dict(img_path=paths[i % len(paths)]))
        assert np.array_equal(exact['crop_boxes'], fast['crop_boxes'])
        values += [psnr(a, b) for a, b in zip(exact['img'], fast['img'])]
        factors.append(fast['decode_scale'])
    return np.array(values), np.array(factors)


def psnr_row(set_name: str, oversample: float, values: np.ndarray, factors: np.ndarray) -> str:
    finite = values[np.isfinite(values)]
    shares = ' / '.join(f'{np.mean(factors == s):.2f}' for s in (1, 2, 4, 8))
    if finite.size == 0:
        return f'| {set_name} | {oversample:g} | identical | identical | identical | identical | {shares} |'
    identical = f' ({np.mean(~np.isfinite(values)):.0%} identical)' if finite.size < values.size else ''
    return (f'| {set_name} | {oversample:g} | {np.mean(finite):.1f}{identical} | {np.median(values):.1f} | '
            f'{np.percentile(values, 5):.1f} | {values.min():.1f} | {shares} |')


def main(argv=None) -> None:
    args = parse_args(argv)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)  # one dataloader worker
    cv2.setNumThreads(0)  # mmengine's default env_cfg opencv_num_threads=0
    paths = frame_paths(args.img_dir, args.num_images)
    pipelines = build_pipelines()
    rows = ['| images | pipeline | pairs/s (1 worker, CPU clock) | ratio to byol | pairs/s (wall) | ratio (wall) |',
            '| --- | --- | --- | --- | --- | --- |']
    shares = ['| images | workers that only decode and crop / worker-side augmentation (pairs/s, CPU clock) | '
              'device augmentation on this CPU, ms per pair | worker-side augmentation, ms per pair |',
              '| --- | --- | --- | --- |']
    quality = ['| images | oversample | PSNR mean (dB) | median | 5th percentile | min | '
               'share decoded at 1/1, 1/2, 1/4, 1/8 |', '| --- | --- | --- | --- | --- | --- | --- |']
    with tempfile.TemporaryDirectory() as folder:
        for set_name, set_paths in make_image_sets(paths, args.large_size, folder).items():
            print_log(f'benchmarking {set_name} for {args.seconds:g} s per pipeline', logger='current')
            rates = benchmark(pipelines, set_paths, args.seconds, args.rounds)
            for name, (rate, wall_rate) in rates.items():
                rows.append(f'| {set_name} | {name} | {rate:.1f} | {rate / rates["byol"][0]:.2f} | {wall_rate:.1f} | '
                            f'{wall_rate / rates["byol"][1]:.2f} |')
            device_ms, worker_ms = augment_cost(pipelines, set_paths, args.augment_batch, args.seed)
            speedup = rates['multisiam'][0] / rates['multisiam-worker-augment'][0]
            shares.append(f'| {set_name} | {speedup:.2f} | {device_ms:.2f} | {worker_ms:.2f} |')
            for oversample in args.oversample:
                values, factors = reduced_vs_full(set_paths, args.psnr_pairs, oversample, args.seed)
                quality.append(psnr_row(set_name, oversample, values, factors))
    print_log('\n'.join(rows) + '\n\nwhere the views\' augmentation runs:\n' + '\n'.join(shares)
              + '\n\nreduced vs full decoding, same boxes, 224 x 224 views:\n' + '\n'.join(quality))


if __name__ == '__main__':
    main()
