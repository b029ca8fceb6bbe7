"""Rewrite Waymo v2 camera_image parquet files with small row groups, for random access in training.

WaymoCameraParquet reads one row group per sample; the released files hold a segment in few large
row groups, so a random sample reads many JPEGs to return one. This keeps only the key and image
columns, sorts rows by (camera, timestamp) and writes ``--rows-per-group`` rows per group. The
output is still parquet (no JPEG extraction) and is read by the same dataset:

    python tools/dataset_converters/waymo_parquet_regroup.py data/waymo/training/camera_image \
        data/waymo/training/camera_image_rg8 --rows-per-group 8
"""
import argparse
import os

import pyarrow.parquet as pq
from mmengine.logging import print_log

from multisiam_mm.datasets.waymo_camera_parquet import (CAMERA_COLUMN, IMAGE_COLUMN, SEGMENT_COLUMN,
                                                        TIMESTAMP_COLUMN)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('src', help='folder of v2 camera_image parquet files')
    parser.add_argument('dst', help='output folder (same file names)')
    parser.add_argument('--rows-per-group', type=int, default=8, help='rows (JPEGs) per row group')
    return parser.parse_args(argv)


def regroup(src: str, dst: str, rows_per_group: int) -> int:
    """Rewrite every parquet file of ``src`` into ``dst``; return the number of files."""
    if not os.path.isdir(src):
        raise FileNotFoundError(f'{src} does not exist; give the v2 <split>/camera_image folder')
    names = sorted(name for name in os.listdir(src) if name.endswith('.parquet'))
    if not names:
        raise ValueError(f'no .parquet file in {src}')
    os.makedirs(dst, exist_ok=True)
    columns = [SEGMENT_COLUMN, TIMESTAMP_COLUMN, CAMERA_COLUMN, IMAGE_COLUMN]
    for name in names:
        table = pq.read_table(os.path.join(src, name), columns=columns)
        table = table.sort_by([(CAMERA_COLUMN, 'ascending'), (TIMESTAMP_COLUMN, 'ascending')])
        pq.write_table(table, os.path.join(dst, name), row_group_size=rows_per_group, compression='NONE')
        print_log(f'{name}: {table.num_rows} rows in groups of {rows_per_group}', logger='current')
    return len(names)


def main() -> None:
    args = parse_args()
    regroup(args.src, args.dst, args.rows_per_group)


if __name__ == '__main__':
    main()
