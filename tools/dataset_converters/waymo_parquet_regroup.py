"""Rewrite Waymo v2 camera_image parquet files with small row groups, for random access in training.

WaymoCameraParquet reads one row group per sample; the released files hold a segment in one large
row group, so a random sample would read the whole segment (the dataset refuses such files). This
copies every ``*.parquet`` under SRC (recursively, same relative paths under DST) with
``--rows-per-group`` rows per group: all columns, rows in their order, still parquet (no JPEG
extraction), read by the same dataset:

    python tools/dataset_converters/waymo_parquet_regroup.py data/waymo/training/camera_image \
        data/waymo/training/camera_image_rg8 --rows-per-group 8 --workers 16

Files are rewritten in parallel (``--workers`` processes). pyarrow reads a row group whole, so a worker
holds one released segment (its one row group, about twice the file's size in memory) while it writes
the new groups out as it goes; the summary line gives the workers' peak RSS. Each file is written to a
temporary name and renamed when complete and checked: same row count as the source, no group above
``--rows-per-group``. A rerun skips the files that are already
done, so an interrupted run is resumed by running the same command. Progress, rate and ETA are printed
after every file.
"""
import argparse
import os
import resource
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import pyarrow.parquet as pq


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('src', help='folder of v2 camera_image parquet files (searched recursively)')
    parser.add_argument('dst', help='output folder (same relative paths)')
    parser.add_argument('--rows-per-group', type=int, default=8, help='rows (JPEGs) per row group')
    parser.add_argument('--workers', type=int, default=os.cpu_count(), help='files rewritten in parallel')
    args = parser.parse_args(argv)
    if args.rows_per_group < 1 or args.workers < 1:
        parser.error('--rows-per-group and --workers must be >= 1')
    return args


def parquet_files(src: Path) -> list[Path]:
    """Every ``*.parquet`` under ``src``, relative to it, sorted."""
    if not src.is_dir():
        raise FileNotFoundError(f'{src} does not exist; give the v2 <split>/camera_image folder')
    files = sorted(path.relative_to(src) for path in src.rglob('*.parquet') if path.is_file())
    if not files:
        raise ValueError(f'no .parquet file under {src}')
    return files


def is_done(source: Path, target: Path, rows_per_group: int) -> bool:
    """Whether ``target`` is a complete rewrite of ``source``: same rows, groups no larger than asked."""
    if not target.is_file():
        return False
    try:
        meta = pq.ParquetFile(target).metadata
    except Exception:  # a file that is not parquet (left by something else): rewrite it
        return False
    groups = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    return meta.num_rows == pq.ParquetFile(source).metadata.num_rows and max(groups, default=0) <= rows_per_group


def regroup_file(source: Path, target: Path, rows_per_group: int) -> int:
    """Copy ``source`` into ``target`` in groups of ``rows_per_group`` rows; return the row count.

    Written to a temporary name beside ``target`` and renamed only after the row counts were checked,
    so ``target`` is either absent or complete.
    """
    parquet = pq.ParquetFile(source)
    expected = parquet.metadata.num_rows
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f'.{target.name}.partial-{os.getpid()}')
    try:
        with pq.ParquetWriter(partial, parquet.schema_arrow, compression='NONE') as writer:
            for batch in parquet.iter_batches(batch_size=rows_per_group):
                writer.write_batch(batch, row_group_size=rows_per_group)
        meta = pq.ParquetFile(partial).metadata
        largest = max((meta.row_group(g).num_rows for g in range(meta.num_row_groups)), default=0)
        if meta.num_rows != expected or largest > rows_per_group:
            raise RuntimeError(f'{source}: wrote {meta.num_rows} rows (groups up to {largest}), expected {expected} '
                               f'in groups of at most {rows_per_group}')
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return expected


def peak_rss_mib() -> float:
    """This process's peak resident set so far, MiB (Linux and macOS report ru_maxrss in KiB and bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == 'darwin' else peak / 2**10


def process(task: tuple[Path, Path, int]) -> tuple[Path, int, int, float, bool, float]:
    """One file: (source, rows, bytes, seconds, skipped as already done, the worker's peak RSS in MiB)."""
    source, target, rows_per_group = task
    began = time.perf_counter()
    if is_done(source, target, rows_per_group):
        return source, pq.ParquetFile(source).metadata.num_rows, 0, 0., True, peak_rss_mib()
    rows = regroup_file(source, target, rows_per_group)
    return source, rows, source.stat().st_size, time.perf_counter() - began, False, peak_rss_mib()


def remove_partials(dst: Path) -> None:
    """Delete the temporary files an interrupted run left behind."""
    for partial in dst.rglob('.*.partial-*') if dst.is_dir() else []:
        partial.unlink()


def regroup(src: str, dst: str, rows_per_group: int, workers: int = 1, out=sys.stdout) -> dict:
    """Rewrite every parquet file under ``src`` into ``dst``; return counts of files, rows and bytes."""
    src_dir, dst_dir = Path(src), Path(dst)
    files = parquet_files(src_dir)
    remove_partials(dst_dir)
    tasks = [(src_dir / rel, dst_dir / rel, rows_per_group) for rel in files]
    tasks.sort(key=lambda task: -task[0].stat().st_size)  # largest first: the pool ends together
    total_bytes = sum(task[0].stat().st_size for task in tasks)
    began, done_bytes = time.perf_counter(), 0
    stats = dict(files=0, skipped=0, rows=0, bytes=0, worker_rss_mib=0.)
    with Pool(min(workers, len(tasks))) as pool:
        for count, (source, rows, size, seconds, skipped, rss) in enumerate(pool.imap_unordered(process, tasks), 1):
            stats['worker_rss_mib'] = max(stats['worker_rss_mib'], rss)
            stats['files'] += 1
            stats['skipped'] += skipped
            stats['rows'] += rows
            stats['bytes'] += size
            done_bytes += source.stat().st_size
            elapsed = time.perf_counter() - began
            rate = stats['bytes'] / elapsed if stats['bytes'] else 0.
            left = (total_bytes - done_bytes) / rate if rate else 0.
            what = 'already done' if skipped else f'{rows} rows, {size / 2**20:.0f} MiB in {seconds:.1f} s'
            print(f'[{count}/{len(tasks)}] {source.relative_to(src_dir)}: {what} | {rate / 2**20:.0f} MiB/s, '
                  f'ETA {left / 60:.1f} min', file=out, flush=True)
    stats['seconds'] = time.perf_counter() - began
    print(f'rewrote {stats["files"] - stats["skipped"]} files ({stats["skipped"]} already done), {stats["rows"]} '
          f'rows, in groups of {rows_per_group}, into {dst_dir} in {stats["seconds"]:.0f} s (peak RSS of a worker '
          f'{stats["worker_rss_mib"]:.0f} MiB); train with --cfg-options '
          f'train_dataloader.dataset.data_root={dst_dir}/', file=out, flush=True)
    return stats


def main() -> None:
    args = parse_args()
    regroup(args.src, args.dst, args.rows_per_group, args.workers)


if __name__ == '__main__':
    main()
