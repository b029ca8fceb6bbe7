"""WaymoCameraParquet on files in the v2 release's layout.

The fixtures are written as Waymo writes ``camera_image/<segment>.parquet``: the 15 columns and types of
``CameraImageComponent`` (waymo-research/waymo-open-dataset, ``src/waymo_open_dataset/v2/perception/
camera_image_test.py``, ``test_creates_correct_schema``), rows grouped by frame with the cameras in the
order 1, 2, 4, 3, 5 within a frame, one row group per file, uncompressed and dictionary-encoded (what
the repository's own v2 test parquet files are); one variant stores ``key.camera_name`` as strings.
"""
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch

from lab.waymo_camera_fixtures import RELEASED_CAMERA_ORDER, camera_image_table
from multisiam_mm.datasets import WaymoCameraParquet
from multisiam_mm.datasets import waymo_camera_parquet as waymo_module
from multisiam_mm.datasets.transforms import load_image_or_skip as loader_module
from multisiam_mm.datasets.waymo_camera_parquet import IMAGE_COLUMN

from data_test_utils import jpeg_bytes
from tool_scripts import REPO

# recent pyarrow wheels (26.0.1) refuse numpy 1.x at import; the stack pins numpy 1.26 (pyarrow 20.0.0 works)
pa = pytest.importorskip('pyarrow', exc_type=ImportError,
                         reason='pyarrow does not import next to the pinned numpy 1.26; pin pyarrow==20.0.0')
pq = pytest.importorskip('pyarrow.parquet', exc_type=ImportError)

STAMPS = [1_550_000_000_000_000 + 100_000 * i for i in range(4)]  # 4 frames at 10 Hz
PREFIX = '[CameraImageComponent]'
SCHEMA = {  # camera_image_test.py, test_creates_correct_schema
    'key.segment_context_name': pa.string(), 'key.frame_timestamp_micros': pa.int64(),
    'key.camera_name': pa.int8(), f'{PREFIX}.image': pa.binary(),
    f'{PREFIX}.pose.transform': pa.list_(pa.float64(), 16),
    f'{PREFIX}.velocity.linear_velocity.x': pa.float32(), f'{PREFIX}.velocity.linear_velocity.y': pa.float32(),
    f'{PREFIX}.velocity.linear_velocity.z': pa.float32(), f'{PREFIX}.velocity.angular_velocity.x': pa.float64(),
    f'{PREFIX}.velocity.angular_velocity.y': pa.float64(), f'{PREFIX}.velocity.angular_velocity.z': pa.float64(),
    f'{PREFIX}.pose_timestamp': pa.float64(), f'{PREFIX}.rolling_shutter_params.shutter': pa.float64(),
    f'{PREFIX}.rolling_shutter_params.camera_trigger_time': pa.float64(),
    f'{PREFIX}.rolling_shutter_params.camera_readout_done_time': pa.float64()}


def camera_color(camera: int, frame: int) -> int:
    return 40 * camera + 5 * frame  # uniform grey level that identifies (camera, frame)


def write_segment(path, segment: str = 'seg_a', cameras=RELEASED_CAMERA_ORDER, corrupt=(), null=(),
                  names_as_strings: bool = False, row_group_size=None) -> None:
    """One segment file as released: frame-major rows, one row group unless ``row_group_size``."""
    rows = []
    for frame, stamp in enumerate(STAMPS):
        for camera in cameras:
            data = jpeg_bytes(np.full((8, 12, 3), camera_color(camera, frame), np.uint8))
            if (camera, frame) in corrupt:
                data = b'\xff\xd8broken'
            rows.append((segment, stamp, camera, None if (camera, frame) in null else data))
    table = camera_image_table(rows, camera_names_as_strings=names_as_strings)
    pq.write_table(table, path, compression='NONE', use_dictionary=True, row_group_size=row_group_size)


def load_pipeline():
    return [dict(type='LoadImageOrSkip')]


def test_the_fixture_is_in_the_released_schema_and_layout(tmp_path):
    write_segment(tmp_path / 'seg_a.parquet')
    parquet = pq.ParquetFile(tmp_path / 'seg_a.parquet')
    assert dict(zip(parquet.schema_arrow.names, parquet.schema_arrow.types)) == SCHEMA
    assert parquet.num_row_groups == 1 and parquet.metadata.num_rows == 20
    cameras = parquet.read(columns=['key.camera_name']).column(0).to_pylist()
    assert cameras[:5] == [1, 2, 4, 3, 5] and cameras[5:10] == [1, 2, 4, 3, 5]  # grouped by frame
    strings = tmp_path / 'strings.parquet'
    write_segment(strings, names_as_strings=True)
    assert pq.ParquetFile(strings).read(columns=['key.camera_name']).column(0).to_pylist()[:3] == \
        ['FRONT', 'FRONT_LEFT', 'SIDE_LEFT']


@pytest.mark.parametrize('row_group_size', [None, 6], ids=['one group', 'groups of 6'])
@pytest.mark.parametrize('names_as_strings', [False, True], ids=['int8 cameras', 'string cameras'])
def test_every_camera_and_frame_is_indexed_and_reads_its_own_jpeg(tmp_path, row_group_size, names_as_strings):
    write_segment(tmp_path / 'seg_a.parquet', row_group_size=row_group_size, names_as_strings=names_as_strings)
    write_segment(tmp_path / 'seg_b.parquet', segment='seg_b', row_group_size=row_group_size,
                  names_as_strings=names_as_strings)
    dataset = WaymoCameraParquet(data_root=str(tmp_path), pipeline=load_pipeline())
    assert len(dataset) == 2 * 5 * 4
    info = dataset.get_data_info(0)
    assert info['img_path'] == f'{tmp_path}/seg_a.parquet#FRONT@{STAMPS[0]}'
    assert dataset.get_data_info(2)['camera_name'] == 4  # SIDE_LEFT, third in a released frame
    for idx in range(len(dataset)):
        sample = dataset[idx]
        info = dataset.get_data_info(idx)
        expected = camera_color(info['camera_name'], STAMPS.index(info['frame_timestamp_micros']))
        assert abs(int(sample['img'][4, 6, 0]) - expected) <= 2  # the right JPEG for this key
        assert sample['ori_shape'] == (8, 12)


def test_camera_selection_and_every_nth_frame(tmp_path):
    write_segment(tmp_path / 'seg_a.parquet', names_as_strings=True)
    front = WaymoCameraParquet(data_root=str(tmp_path), cameras=['FRONT', 'SIDE_LEFT'], every_nth_frame=2)
    kept = sorted((front.get_data_info(i)['camera_name'], front.get_data_info(i)['frame_timestamp_micros'])
                  for i in range(len(front)))
    assert kept == [(1, STAMPS[0]), (1, STAMPS[2]), (4, STAMPS[0]), (4, STAMPS[2])]
    with pytest.raises(ValueError, match=r"unknown Waymo camera 'REAR'; the v2 CameraName values are \['FRONT'"):
        WaymoCameraParquet(data_root=str(tmp_path), cameras=['REAR'])
    with pytest.raises(ValueError, match=r'unknown Waymo camera 6; .*\(ids 1-5\)'):
        WaymoCameraParquet(data_root=str(tmp_path), cameras=[6])


def logged_by(module, monkeypatch) -> list:
    """The messages ``module`` passes to ``print_log`` from now on."""
    messages = []
    monkeypatch.setattr(module, 'print_log', lambda msg, **kwargs: messages.append(msg))
    return messages


def test_rows_of_cameras_outside_the_enum_are_named_not_dropped_silently(tmp_path, monkeypatch):
    write_segment(tmp_path / 'seg_a.parquet', cameras=(1, 6, 7, 8))
    logged = logged_by(waymo_module, monkeypatch)
    dataset = WaymoCameraParquet(data_root=str(tmp_path))
    assert len(dataset) == 4  # the FRONT frames
    assert logged == ['WaymoCameraParquet: left out 12 rows whose key.camera_name is not a v2 CameraName (1-5): '
                      '{6: 4, 7: 4, 8: 4}']
    write_segment(tmp_path / 'seg_a.parquet', cameras=(6, 7, 8))
    with pytest.raises(ValueError, match=r"no frame of cameras \['FRONT'.*the files hold cameras \{6: 4, 7: 4, 8: 4\}"):
        WaymoCameraParquet(data_root=str(tmp_path))


def test_corrupt_and_null_image_cells_are_skipped_with_their_reason(tmp_path, monkeypatch):
    write_segment(tmp_path / 'seg_a.parquet', corrupt={(1, 0)}, null={(1, 1)})
    dataset = WaymoCameraParquet(data_root=str(tmp_path), cameras=['FRONT'], pipeline=load_pipeline())
    assert [dataset.get_data_info(i)['frame_timestamp_micros'] for i in range(2)] == STAMPS[:2]
    logged = logged_by(loader_module, monkeypatch)
    for idx in (0, 1):  # the corrupt and the null frame: another frame is returned instead
        assert dataset[idx]['frame_timestamp_micros'] not in STAMPS[:2]
    assert any(f'#FRONT@{STAMPS[0]}: not decodable by OpenCV' in message for message in logged)
    assert any(f'#FRONT@{STAMPS[1]}: null {IMAGE_COLUMN} cell (row group 0, row 5)' in message for message in logged)


def test_row_groups_too_large_for_random_access_are_refused_with_the_fix(tmp_path):
    folder = tmp_path / 'camera_image'
    folder.mkdir()
    write_segment(folder / 'seg_a.parquet')
    write_segment(folder / 'seg_b.parquet', segment='seg_b', row_group_size=4)
    image_bytes = pq.ParquetFile(folder / 'seg_a.parquet').metadata.row_group(0).column(3).total_uncompressed_size
    limit = image_bytes / 2 / 2**20  # the 20-row group is over it, the 4-row groups are not
    with pytest.raises(ValueError) as error:
        WaymoCameraParquet(data_root=str(folder), max_row_group_mib=limit)
    message = str(error.value)
    assert f'1 of 2 Waymo parquet files under {str(folder)!r}' in message
    assert f'the largest: 20 rows, 0 MiB of JPEGs, in {folder}/seg_a.parquet' in message
    fix = (f'python tools/dataset_converters/waymo_parquet_regroup.py {folder} {folder}_rg8 --rows-per-group 8 '
           f'--workers 16\nthen train with --cfg-options train_dataloader.dataset.data_root={folder}_rg8/')
    assert fix in message and 'max_row_group_mib=None' in message
    assert len(WaymoCameraParquet(data_root=str(folder), max_row_group_mib=None)) == 40  # as they are
    regroup = [sys.executable, 'tools/dataset_converters/waymo_parquet_regroup.py', str(folder), f'{folder}_rg8',
               '--rows-per-group', '8', '--workers', '2']
    subprocess.run(regroup, cwd=REPO, check=True, capture_output=True)  # the command the message gives
    assert len(WaymoCameraParquet(data_root=f'{folder}_rg8/', max_row_group_mib=limit)) == 40


def test_missing_folder_no_files_and_wrong_schema_fail_at_start(tmp_path):
    with pytest.raises(FileNotFoundError, match='camera_image folder .* does not exist'):
        WaymoCameraParquet(data_root=str(tmp_path / 'nowhere'))
    with pytest.raises(ValueError, match='no .parquet file'):
        WaymoCameraParquet(data_root=str(tmp_path))
    pq.write_table(pa.table({'x': [1]}), tmp_path / 'other.parquet')
    with pytest.raises(ValueError, match='lacks the columns'):
        WaymoCameraParquet(data_root=str(tmp_path))
    with pytest.raises(ValueError, match='max_row_group_mib must be > 0 or None, got 0'):
        WaymoCameraParquet(data_root=str(tmp_path), max_row_group_mib=0)


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
