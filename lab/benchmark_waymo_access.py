"""Random access to Waymo v2 camera_image files: the release's layout against the prepared one.

Writes ``--segments`` replicas of a released ``camera_image/<segment>.parquet`` (the 15 columns of
``CameraImageComponent``, frames of 5 cameras in the order 1, 2, 4, 3, 5, ONE row group, uncompressed and
dictionary-encoded, as the v2 files in waymo-research/waymo-open-dataset's own test data are), each
holding ``--rows`` 1920x1280 JPEGs made from real frames (mosaics of ``--img-dir``, Waymo's camera size;
``--quality`` 72 gives about 390 KiB a JPEG, near the 376 KiB of real Waymo camera images: 188 MiB for
500 rows), then:

1. rewrites them with ``tools/dataset_converters/waymo_parquet_regroup.py`` (8-row groups) and reports
   the tool's rate (MiB of source per second, one worker), its peak RSS and what that gives for the
   training split;
2. for the released files (``row_group_cache`` 1 and 0, read as they are: ``max_row_group_mib=None``)
   and the prepared ones, reads ``--samples`` rows in a seeded random order through ``WaymoCameraParquet``,
   each layout in a fresh process (as one dataloader worker): milliseconds per sample and the growth of
   the process's peak RSS over the dataset's construction. A training run draws from hundreds of
   segments, so nearly every sample misses the cache; with a few replica segments some hit it, which
   ``row_group_cache=0`` (every sample a miss) shows apart;
3. what the dataset does with the released file at its defaults (refuses it, with the fix).

    python -m lab.benchmark_waymo_access --segments 3 --rows 500 --samples 200
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from lab.speed import frame_paths, mosaics
from lab.waymo_camera_fixtures import RELEASED_CAMERA_ORDER, camera_image_table

ROOT = Path(__file__).resolve().parents[1]
#: the v2 training split's camera_image: 798 segments of about 199 frames x 5 cameras
TRAINING_SEGMENTS = 798


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--img-dir', default='demo/camvid/train', help='real frames the 1920x1280 JPEGs are made of')
    parser.add_argument('--segments', type=int, default=3, help='replica segment files')
    parser.add_argument('--rows', type=int, default=500, help='rows (camera images) per replica segment')
    parser.add_argument('--quality', type=int, default=72, help='JPEG quality of the replica')
    parser.add_argument('--samples', type=int, default=200, help='random rows read per layout')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--measure', nargs=3, metavar=('FOLDER', 'CACHE', 'SAMPLES'), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def peak_rss_mib() -> float:
    """This process's peak resident set (VmHWM), MiB."""
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024
    raise RuntimeError('no VmHWM in /proc/self/status (Linux only)')


def measure(folder: str, cache: int, samples: int, seed: int) -> dict:
    """In this (fresh) process: random reads of ``samples`` rows through the dataset, as a worker does."""
    from mmengine.registry import init_default_scope

    from multisiam_mm.datasets import WaymoCameraParquet
    init_default_scope('mmselfsup')
    began = time.perf_counter()
    dataset = WaymoCameraParquet(data_root=folder, row_group_cache=cache, max_row_group_mib=None)
    index_s = time.perf_counter() - began
    base = peak_rss_mib()
    order = np.random.default_rng(seed).permutation(len(dataset))[:samples]
    times = []
    for idx in order:
        start = time.perf_counter()
        info = dataset.get_data_info(int(idx))
        times.append(time.perf_counter() - start)
        assert info['img_bytes'] and 'img_error' not in info
    return dict(index_s=index_s, first_ms=times[0] * 1000, median_ms=float(np.median(times)) * 1000,
                mean_ms=float(np.mean(times)) * 1000, rss_growth_mib=peak_rss_mib() - base)


def unique(jpeg: bytes, tag: str) -> bytes:
    """``jpeg`` with a comment segment (COM, 0xFFFE) naming ``tag`` after its start marker: the same image,
    distinct bytes, so that parquet's dictionary encoding cannot fold repeated frames into one, as it
    could not in a real segment."""
    comment = tag.encode()
    return jpeg[:2] + b'\xff\xfe' + (len(comment) + 2).to_bytes(2, 'big') + comment + jpeg[2:]


def write_replica(folder: Path, args: argparse.Namespace) -> float:
    """``args.segments`` files in the released layout with ``args.rows`` real-sized JPEGs each; returns the
    mean JPEG size in KiB."""
    import pyarrow.parquet as pq

    frames = [cv2.imread(p) for p in frame_paths(args.img_dir, 32)]
    jpegs = [cv2.imencode('.jpg', image, [cv2.IMWRITE_JPEG_QUALITY, args.quality])[1].tobytes()
             for image in mosaics(frames, (1920, 1280))]
    for segment in range(args.segments):
        rows = [(f'replica_{segment}', 1_550_000_000_000_000 + 100_000 * (r // 5), RELEASED_CAMERA_ORDER[r % 5],
                 unique(jpegs[(r + segment) % len(jpegs)], f'{segment}/{r}')) for r in range(args.rows)]
        pq.write_table(camera_image_table(rows), folder / f'replica_{segment}.parquet', compression='NONE',
                       use_dictionary=True)
    return float(np.mean([len(j) for j in jpegs])) / 1024


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.measure:
        folder, cache, samples = args.measure
        print(json.dumps(measure(folder, int(cache), int(samples), args.seed)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        released, prepared = Path(scratch) / 'camera_image', Path(scratch) / 'camera_image_rg8'
        released.mkdir()
        kib = write_replica(released, args)
        size_mib = sum(path.stat().st_size for path in released.iterdir()) / 2**20
        print(f'replica: {args.segments} segments of {args.rows} rows of 1920x1280 JPEGs (mean {kib:.0f} KiB, '
              f'quality {args.quality}), one row group each, {size_mib / args.segments:.0f} MiB a segment', flush=True)
        began = time.perf_counter()
        tool = subprocess.run([sys.executable, 'tools/dataset_converters/waymo_parquet_regroup.py', str(released),
                               str(prepared), '--rows-per-group', '8', '--workers', '1'], cwd=ROOT, check=True,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - began
        tool_rss = float(re.search(r'peak RSS of a worker (\d+) MiB', tool.stdout).group(1))
        rate = size_mib / seconds
        segment_mib = size_mib / args.segments * 199 * 5 / args.rows
        print(f'regroup tool: {seconds:.1f} s for {size_mib:.0f} MiB, {rate:.0f} MiB/s on one worker (process start '
              f'included); the v2 training split ({TRAINING_SEGMENTS} segments of about {segment_mib:.0f} MiB) at that '
              f'rate on 16 workers: {TRAINING_SEGMENTS * segment_mib / rate / 16 / 60:.0f} min, if the disk '
              f'sustains {16 * rate:.0f} MiB/s of reads plus as much of writes; peak RSS of the worker {tool_rss:.0f} '
              f'MiB', flush=True)
        rows = ['| layout | row_group_cache | ms per random sample (median / mean) | first sample, ms | '
                'peak RSS growth, MiB | index at start, s |', '| --- | --- | --- | --- | --- | --- |']
        folders = {'released (one row group)': released, 'prepared (8-row groups)': prepared}
        layouts = [(name, folder, cache) for name, folder in folders.items() for cache in (1, 0)]
        for name, folder, cache in layouts:
            result = subprocess.run([sys.executable, '-m', 'lab.benchmark_waymo_access', '--measure', str(folder),
                                     str(cache), str(args.samples), '--seed', str(args.seed)], cwd=ROOT, check=True,
                                    capture_output=True, text=True)
            m = json.loads(result.stdout.strip().splitlines()[-1])
            rows.append(f'| {name} | {cache} | {m["median_ms"]:.1f} / {m["mean_ms"]:.1f} | {m["first_ms"]:.0f} | '
                        f'{m["rss_growth_mib"]:.0f} | {m["index_s"]:.2f} |')
        print('\n'.join(rows), flush=True)
        refused = subprocess.run(
            [sys.executable, '-c', 'from mmengine.registry import init_default_scope; import multisiam_mm; '
             'from multisiam_mm.datasets import WaymoCameraParquet; init_default_scope("mmselfsup"); '
             f'WaymoCameraParquet(data_root="{released}")'], cwd=ROOT, capture_output=True, text=True)
        print('at its defaults the dataset ' + ('refuses the released file:\n' + refused.stderr.strip().splitlines()[-1]
                                                if refused.returncode else 'accepts the released file'), flush=True)


if __name__ == '__main__':
    main()
