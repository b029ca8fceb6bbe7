import pickle

import numpy as np
import pytest
import torch

from multisiam_mm.datasets import WaymoCameraParquet
from multisiam_mm.datasets.waymo_camera_parquet import (CAMERA_COLUMN, IMAGE_COLUMN, SEGMENT_COLUMN,
                                                        TIMESTAMP_COLUMN)

from data_test_utils import jpeg_bytes

# recent pyarrow wheels (26.0.1) refuse numpy 1.x at import; the stack pins numpy 1.26 (pyarrow 20.0.0 works)
pa = pytest.importorskip('pyarrow', exc_type=ImportError,
                         reason='pyarrow does not import next to the pinned numpy 1.26; pin pyarrow==20.0.0')
pq = pytest.importorskip('pyarrow.parquet', exc_type=ImportError)

STAMPS = [1_550_000_000_000_000 + 100_000 * i for i in range(4)]  # 4 frames at 10 Hz


def camera_color(camera: int, frame: int) -> int:
    return 40 * camera + 5 * frame  # uniform grey level that identifies (camera, frame)


def write_segment(path, segment: str = 'seg_a', rows_per_group: int = 6, corrupt=()) -> None:
    """A v2 camera_image file in the real schema: key columns, JPEG column and a pose column."""
    rows = [(segment, stamp, camera) for camera in range(1, 6) for stamp in STAMPS]  # camera-major, as released
    images = []
    for _, stamp, camera in rows:
        frame = STAMPS.index(stamp)
        data = jpeg_bytes(np.full((8, 12, 3), camera_color(camera, frame), np.uint8))
        images.append(b'\xff\xd8broken' if (camera, frame) in corrupt else data)
    table = pa.table({
        SEGMENT_COLUMN: pa.array([r[0] for r in rows], pa.string()),
        TIMESTAMP_COLUMN: pa.array([r[1] for r in rows], pa.int64()),
        CAMERA_COLUMN: pa.array([r[2] for r in rows], pa.int8()),
        IMAGE_COLUMN: pa.array(images, pa.binary()),
        '[CameraImageComponent].pose_timestamp': pa.array([r[1] / 1e6 for r in rows], pa.float64()),
    })
    pq.write_table(table, path, row_group_size=rows_per_group)


def load_pipeline():
    return [dict(type='LoadImageOrSkip')]


def test_all_cameras_and_frames_are_indexed_across_row_groups(tmp_path):
    write_segment(tmp_path / 'seg_a.parquet')
    write_segment(tmp_path / 'seg_b.parquet', segment='seg_b')
    assert pq.ParquetFile(tmp_path / 'seg_a.parquet').num_row_groups == 4  # 20 rows in groups of 6
    dataset = WaymoCameraParquet(data_root=str(tmp_path), pipeline=load_pipeline())
    assert len(dataset) == 2 * 5 * 4
    info = dataset.get_data_info(0)
    assert info['img_path'] == f'{tmp_path}/seg_a.parquet#FRONT@{STAMPS[0]}'
    for idx in range(len(dataset)):
        sample = dataset[idx]
        info = dataset.get_data_info(idx)
        expected = camera_color(info['camera_name'], STAMPS.index(info['frame_timestamp_micros']))
        assert abs(int(sample['img'][4, 6, 0]) - expected) <= 2  # the right JPEG for this key
        assert sample['ori_shape'] == (8, 12)


def test_camera_selection_and_every_nth_frame(tmp_path):
    write_segment(tmp_path / 'seg_a.parquet')
    front = WaymoCameraParquet(data_root=str(tmp_path), cameras=['FRONT', 'SIDE_LEFT'], every_nth_frame=2)
    kept = sorted((front.get_data_info(i)['camera_name'], front.get_data_info(i)['frame_timestamp_micros'])
                  for i in range(len(front)))
    assert kept == [(1, STAMPS[0]), (1, STAMPS[2]), (4, STAMPS[0]), (4, STAMPS[2])]
    with pytest.raises(ValueError, match=r"unknown Waymo camera 'REAR'; choose from \['FRONT'"):
        WaymoCameraParquet(data_root=str(tmp_path), cameras=['REAR'])


def test_corrupt_jpeg_row_is_skipped(tmp_path):
    write_segment(tmp_path / 'seg_a.parquet', corrupt={(1, 0)})
    dataset = WaymoCameraParquet(data_root=str(tmp_path), cameras=['FRONT'], pipeline=load_pipeline())
    assert dataset.get_data_info(0)['frame_timestamp_micros'] == STAMPS[0]
    sample = dataset[0]  # the corrupt frame: another frame is returned instead
    assert sample['frame_timestamp_micros'] != STAMPS[0]


def test_missing_folder_no_files_and_wrong_schema_fail_at_start(tmp_path):
    with pytest.raises(FileNotFoundError, match='camera_image folder .* does not exist'):
        WaymoCameraParquet(data_root=str(tmp_path / 'nowhere'))
    with pytest.raises(ValueError, match='no .parquet file'):
        WaymoCameraParquet(data_root=str(tmp_path))
    pq.write_table(pa.table({'x': [1]}), tmp_path / 'other.parquet')
    with pytest.raises(ValueError, match='lacks the columns'):
        WaymoCameraParquet(data_root=str(tmp_path))


def test_pickles_without_open_files_and_works_in_dataloader_workers(tmp_path):
    write_segment(tmp_path / 'seg_a.parquet')
    dataset = WaymoCameraParquet(data_root=str(tmp_path), cameras=['FRONT'], pipeline=load_pipeline())
    dataset[0]  # opens the file and caches a row group in this process
    state = pickle.loads(pickle.dumps(dataset)).__dict__
    assert '_files' not in state and '_groups' not in state
    loader = torch.utils.data.DataLoader(dataset, batch_size=2, num_workers=2,
                                         collate_fn=lambda batch: [s['img'][0, 0, 0] for s in batch])
    levels = sorted(int(v) for batch in loader for v in batch)
    assert len(levels) == 4
    assert all(abs(a - b) <= 2 for a, b in zip(levels, [camera_color(1, f) for f in range(4)]))
