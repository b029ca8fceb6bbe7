"""Throughput (pairs/s in one worker process) of the MultiSiam pipeline vs mmselfsup's BYOL pipeline.

Both pipelines run side by side in one process on the same real images, interleaved in rounds so
that machine load affects them alike: first the frames as they are (CamVid, 480x360 JPEGs), then
the same frames upscaled to 1920x1280 and re-encoded as JPEG (quality 95), the size of Waymo's
cameras. Pipelines:

* ``byol``: mmselfsup's ``imagenet_byol.py`` train pipeline, unchanged (LoadImageFromFile, MultiView);
* ``multisiam``: ``configs/_base_/datasets/multisiam_pipeline.py`` (pillow bicubic resize, as BYOL);
* ``multisiam-cv2``: the same with the pair crop's ``backend='cv2'``;
* ``multisiam-no-iou``: the same with ``iou_threshold=None``, isolating the cost of the constraint
  (accepted crops are larger, so their resize costs more) from the pipeline's own overhead.

    python tools/analysis/benchmark_pipeline.py --img-dir ../shared/data/camvid/train --seconds 6
"""
import argparse
import os
import random
import sys
import tempfile
import time

import cv2
import mmselfsup
import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.logging import print_log
from mmengine.registry import init_default_scope

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, REPO)
import multisiam_mm  # noqa: E402,F401  (registers the transforms)
from multisiam_mm.datasets.unlabeled_image_list import IMG_EXTENSIONS, scan_images  # noqa: E402

BYOL_CONFIG = os.path.join(os.path.dirname(mmselfsup.__file__), '.mim', 'configs', 'selfsup', '_base_',
                           'datasets', 'imagenet_byol.py')
MULTISIAM_CONFIG = os.path.join(REPO, 'configs', '_base_', 'datasets', 'multisiam_pipeline.py')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--img-dir', default='demo/camvid/train', help='folder of real images')
    parser.add_argument('--num-images', type=int, default=32, help='images cycled through')
    parser.add_argument('--seconds', type=float, default=6., help='seconds per pipeline and image set')
    parser.add_argument('--rounds', type=int, default=4, help='interleaved rounds the seconds are split into')
    parser.add_argument('--large-size', type=int, nargs=2, default=[1920, 1280], metavar=('W', 'H'))
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def build_pipelines() -> dict:
    init_default_scope('mmselfsup')
    byol = Config.fromfile(BYOL_CONFIG).train_pipeline
    ours = Config.fromfile(MULTISIAM_CONFIG).train_pipeline
    ours_cv2 = Config.fromfile(MULTISIAM_CONFIG).train_pipeline
    ours_cv2[1]['backend'] = 'cv2'
    ours_free = Config.fromfile(MULTISIAM_CONFIG).train_pipeline
    ours_free[1]['iou_threshold'] = None
    return {'byol': Compose(byol), 'multisiam': Compose(ours), 'multisiam-cv2': Compose(ours_cv2),
            'multisiam-no-iou': Compose(ours_free)}


def upscale(paths: list, size: tuple, folder: str) -> list:
    """Write each image resized to ``size`` (w, h) as a quality-95 JPEG into ``folder``."""
    out = []
    for path in paths:
        img = cv2.resize(cv2.imread(path), tuple(size), interpolation=cv2.INTER_CUBIC)
        target = os.path.join(folder, os.path.basename(os.path.splitext(path)[0]) + '.jpg')
        cv2.imwrite(target, img, [cv2.IMWRITE_JPEG_QUALITY, 95])
        out.append(target)
    return out


def run_for(pipeline: Compose, paths: list, seconds: float, start: int) -> tuple[int, float, int]:
    """Run ``pipeline`` over ``paths`` cyclically for about ``seconds``; return (pairs, seconds, next index)."""
    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        sample = pipeline(dict(img_path=paths[(start + count) % len(paths)]))
        assert len(sample['inputs']) == 2
        count += 1
    return count, time.perf_counter() - began, start + count


def benchmark(pipelines: dict, paths: list, seconds: float, rounds: int) -> dict:
    totals = {name: [0, 0.0, 0] for name in pipelines}
    for name, pipeline in pipelines.items():  # warm up: imports, caches, first decodes
        run_for(pipeline, paths, min(1.0, seconds / 4), 0)
    for _ in range(rounds):
        for name, pipeline in pipelines.items():
            count, elapsed, nxt = run_for(pipeline, paths, seconds / rounds, totals[name][2])
            totals[name] = [totals[name][0] + count, totals[name][1] + elapsed, nxt]
    return {name: count / elapsed for name, (count, elapsed, _) in totals.items()}


def main(argv=None) -> None:
    args = parse_args(argv)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)  # one dataloader worker
    cv2.setNumThreads(0)  # mmengine's default env_cfg opencv_num_threads=0
    names = scan_images(args.img_dir, IMG_EXTENSIONS)
    if not names:
        raise FileNotFoundError(f'no image in {args.img_dir}; pass --img-dir with a folder of frames')
    paths = [os.path.join(args.img_dir, name) for name in names[:args.num_images]]
    pipelines = build_pipelines()
    rows = ['| images | pipeline | pairs/s (1 worker) | ratio to byol |', '| --- | --- | --- | --- |']
    with tempfile.TemporaryDirectory() as folder:
        sets = {f'{cv2.imread(paths[0]).shape[1]}x{cv2.imread(paths[0]).shape[0]} ({len(paths)} frames)': paths,
                f'{args.large_size[0]}x{args.large_size[1]} JPEG (upscaled)': upscale(paths, args.large_size, folder)}
        for set_name, set_paths in sets.items():
            print_log(f'benchmarking {set_name} for {args.seconds:.0f} s per pipeline', logger='current')
            rates = benchmark(pipelines, set_paths, args.seconds, args.rounds)
            for name, rate in rates.items():
                rows.append(f'| {set_name} | {name} | {rate:.1f} | {rate / rates["byol"]:.2f} |')
    print_log('\n'.join(rows))


if __name__ == '__main__':
    main()
