"""tools/dataset_converters/waymo_parquet_regroup.py: recursive, parallel, resumable, checked rewrites.

Sources are written in the v2 release's layout (15 columns of ``CameraImageComponent``, frame-major rows,
one row group per file: see tests/datasets/test_waymo_camera_parquet.py).
"""
import os
import subprocess
import sys

import pytest

from lab.waymo_camera_fixtures import RELEASED_CAMERA_ORDER, camera_image_table

from tool_scripts import REPO, load_tool

pq = pytest.importorskip('pyarrow.parquet', exc_type=ImportError)
regroup_tool = load_tool('tools/dataset_converters/waymo_parquet_regroup.py')


def write_released(path, frames: int, segment: str = 'seg') -> None:
    rows = [(segment, 1_550_000_000_000_000 + 100_000 * f, camera, bytes([f, camera]) * 50)
            for f in range(frames) for camera in RELEASED_CAMERA_ORDER]
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(camera_image_table(rows), path, compression='NONE')


def run_tool(*args) -> str:
    """The tool as a user runs it; its standard output."""
    command = [sys.executable, 'tools/dataset_converters/waymo_parquet_regroup.py', *map(str, args)]
    return subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True).stdout


def groups(path) -> list[int]:
    meta = pq.ParquetFile(path).metadata
    return [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]


def test_every_file_under_the_tree_is_rewritten_whole_in_small_groups(tmp_path):
    src, dst = tmp_path / 'camera_image', tmp_path / 'camera_image_rg8'
    write_released(src / 'a.parquet', frames=5)  # 25 rows
    write_released(src / 'part2' / 'b.parquet', frames=2, segment='seg_b')  # 10 rows, one folder down
    out = run_tool(src, dst, '--rows-per-group', '8', '--workers', '2')
    assert groups(dst / 'a.parquet') == [8, 8, 8, 1] and groups(dst / 'part2' / 'b.parquet') == [8, 2]
    for rel in ('a.parquet', 'part2/b.parquet'):  # same rows, same columns, same order
        assert pq.read_table(dst / rel).equals(pq.read_table(src / rel))
    lines = out.splitlines()
    progress = sorted(line.split('] ', 1)[1] for line in lines[:2])  # two workers: either may finish first
    assert progress[0].startswith('a.parquet: 25 rows') and progress[1].startswith('part2/b.parquet: 10 rows')
    assert all(line.startswith(('[1/2] ', '[2/2] ')) and 'MiB/s, ETA' in line for line in lines[:2])
    assert lines[-1].startswith('rewrote 2 files (0 already done), 35 rows, in groups of 8')


def test_a_rerun_resumes_skipping_finished_files_and_redoing_the_rest(tmp_path):
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    write_released(src / 'a.parquet', frames=3)
    write_released(src / 'b.parquet', frames=3, segment='seg_b')
    run_tool(src, dst, '--rows-per-group', '4')
    finished = os.stat(dst / 'a.parquet').st_mtime_ns
    (dst / 'b.parquet').write_bytes(b'cut short')  # what no rename would leave; a crash leaves a partial file
    (dst / '.b.parquet.partial-1234').write_bytes(b'left by a killed worker')
    out = run_tool(src, dst, '--rows-per-group', '4')
    assert '] a.parquet: already done' in out and 'rewrote 1 files (1 already done), 30 rows' in out
    assert os.stat(dst / 'a.parquet').st_mtime_ns == finished  # not rewritten
    assert groups(dst / 'b.parquet') == [4, 4, 4, 3]
    assert sorted(os.listdir(dst)) == ['a.parquet', 'b.parquet']  # the partial file is gone


def test_a_row_count_mismatch_leaves_no_output(tmp_path, monkeypatch):
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    write_released(src / 'a.parquet', frames=2)
    real_iter = pq.ParquetFile.iter_batches

    def drop_last_batch(self, *args, **kwargs):
        return list(real_iter(self, *args, **kwargs))[:-1]
    monkeypatch.setattr(pq.ParquetFile, 'iter_batches', drop_last_batch)
    with pytest.raises(RuntimeError, match=r'a.parquet: wrote 8 rows \(groups up to 4\), expected 10 in groups of at '
                                           r'most 4'):
        regroup_tool.regroup_file(src / 'a.parquet', dst / 'a.parquet', rows_per_group=4)
    assert not dst.exists() or os.listdir(dst) == []


def test_bad_arguments_say_what_to_give(tmp_path):
    with pytest.raises(FileNotFoundError, match='give the v2 <split>/camera_image folder'):
        regroup_tool.regroup(str(tmp_path / 'nowhere'), str(tmp_path / 'out'), 8)
    with pytest.raises(ValueError, match='no .parquet file under'):
        regroup_tool.regroup(str(tmp_path), str(tmp_path / 'out'), 8)
    with pytest.raises(SystemExit):
        regroup_tool.parse_args([str(tmp_path), str(tmp_path / 'out'), '--rows-per-group', '0'])
