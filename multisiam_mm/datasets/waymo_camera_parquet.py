"""Waymo Open Dataset v2 camera frames read straight from the ``camera_image`` parquet files.

MultiSiam pre-trains on the camera frames of Waymo (Sec. 4.1). The v2 release stores one parquet
file per segment in ``<split>/camera_image/``; each row is one camera of one frame, with the JPEG
bytes in ``[CameraImageComponent].image``. Frames are indexed at start from the key columns only
and each sample reads its JPEG from its row group, so nothing is extracted to disk first.

The column names are ``CameraImageComponent``'s (waymo-research/waymo-open-dataset,
``src/waymo_open_dataset/v2/perception/camera_image.py``); of its 15 columns only the three keys and the
JPEG are read.
"""
import logging
import os
from collections import Counter, OrderedDict
from typing import Optional, Sequence, Union

from mmengine.dataset import BaseDataset
from mmengine.logging import print_log

from ..registry import DATASETS

from .per_sample_seed import PerSampleSeedMixin

SEGMENT_COLUMN = 'key.segment_context_name'
TIMESTAMP_COLUMN = 'key.frame_timestamp_micros'
CAMERA_COLUMN = 'key.camera_name'
IMAGE_COLUMN = '[CameraImageComponent].image'
KEY_COLUMNS = (SEGMENT_COLUMN, TIMESTAMP_COLUMN, CAMERA_COLUMN)
#: the ``CameraName`` enum of the v2 protos (``UNKNOWN = 0`` names no camera)
CAMERA_NAMES = {'FRONT': 1, 'FRONT_LEFT': 2, 'FRONT_RIGHT': 3, 'SIDE_LEFT': 4, 'SIDE_RIGHT': 5}
#: a row group larger than this (JPEG bytes) is refused by default: each random sample reads its whole group
MAX_ROW_GROUP_MIB = 16


def camera_ids(cameras: Sequence[Union[str, int]]) -> list[int]:
    """Map camera names (or ids) to the ``CameraName`` enum ids of the Waymo protos."""
    ids = []
    for camera in cameras:
        if isinstance(camera, str) and camera.upper() in CAMERA_NAMES:
            ids.append(CAMERA_NAMES[camera.upper()])
        elif isinstance(camera, int) and camera in CAMERA_NAMES.values():
            ids.append(camera)
        else:
            raise ValueError(f'unknown Waymo camera {camera!r}; the v2 CameraName values are {list(CAMERA_NAMES)} '
                             '(ids 1-5)')
    return ids


def stored_camera_id(value: Union[int, str, None]) -> Union[int, str, None]:
    """A ``key.camera_name`` cell as its enum id: stored as int8, or as the name ('FRONT') in some files.
    Values outside the enum come back unchanged, to be reported."""
    if isinstance(value, str):
        return CAMERA_NAMES.get(value.upper(), value)
    return value


@DATASETS.register_module()
class WaymoCameraParquet(PerSampleSeedMixin, BaseDataset):
    """Waymo v2 ``camera_image`` frames as an unlabeled image dataset.

    Every ``*.parquet`` under the folder (``data_root`` joined with ``data_prefix['img_path']``,
    recursively) is indexed at construction by reading only the key columns; a sample then reads one
    row group's image column, keeping the last ``row_group_cache`` row groups per worker process.
    Parquet files are opened lazily in each process, so the dataset is safe with dataloader workers.

    The released files hold a whole segment in one row group (hundreds of MiB of JPEGs), so a random
    sample would read the whole segment. Before any sample is read, files whose row groups hold more
    than ``max_row_group_mib`` MiB of JPEGs are refused, naming the largest one and the command that
    rewrites them once with small row groups (``tools/dataset_converters/waymo_parquet_regroup.py``:
    still parquet, all columns, no JPEG extraction). Memory per worker is then about
    ``row_group_cache`` x ``max_row_group_mib`` MiB plus the decoder's.

    Each sample's ``img_path`` is ``<file>#<camera>@<timestamp>`` (for logs and metainfo) and
    ``img_bytes`` holds the JPEG for :class:`LoadImageOrSkip`; a row that cannot be read (a null image
    cell, a corrupt page) is skipped by it like a bad file, with the reason.

    Args:
        data_root: root joined to ``data_prefix``. Defaults to ''.
        data_prefix: ``dict(img_path=folder of camera_image parquet files)``.
        cameras: camera names or ids to keep. Defaults to all five.
        every_nth_frame: keep every n-th frame of each segment (by timestamp order; all selected
            cameras of a kept frame are kept). Defaults to 1 (all frames, 10 Hz).
        row_group_cache: row groups' image columns kept in memory per process. Defaults to 1.
        max_row_group_mib: largest row group (MiB of JPEG bytes) accepted; None reads any file as it
            is, at the cost of reading a whole group per sample. Defaults to ``MAX_ROW_GROUP_MIB``.
        **kwargs: the rest of ``mmengine.dataset.BaseDataset``'s arguments.
    """

    def __init__(self,
                 data_root: str = '',
                 data_prefix: dict = dict(img_path=''),
                 cameras: Sequence[Union[str, int]] = tuple(CAMERA_NAMES),
                 every_nth_frame: int = 1,
                 row_group_cache: int = 1,
                 max_row_group_mib: Optional[float] = MAX_ROW_GROUP_MIB,
                 **kwargs) -> None:
        if every_nth_frame < 1:
            raise ValueError(f'every_nth_frame must be >= 1, got {every_nth_frame}')
        if row_group_cache < 0:
            raise ValueError(f'row_group_cache must be >= 0, got {row_group_cache}')
        if max_row_group_mib is not None and max_row_group_mib <= 0:
            raise ValueError(f'max_row_group_mib must be > 0 or None, got {max_row_group_mib}')
        self.cameras = camera_ids(cameras)
        self.every_nth_frame = every_nth_frame
        self.row_group_cache = row_group_cache
        self.max_row_group_mib = max_row_group_mib
        super().__init__(data_root=data_root, data_prefix=data_prefix, **kwargs)

    def parquet_files(self) -> list[str]:
        folder = self.data_prefix.get('img_path', '') or '.'
        if not os.path.isdir(folder):
            raise FileNotFoundError(f'Waymo camera_image folder {folder!r} does not exist; set data_root to '
                                    'the v2 <split>/camera_image/ folder (e.g. data/waymo/training/camera_image/)')
        files = sorted(os.path.join(root, name) for root, _, names in os.walk(folder, followlinks=True)
                       for name in names if name.endswith('.parquet'))
        if not files:
            raise ValueError(f'no .parquet file under {folder!r}; point data_root at the camera_image folder '
                             'of the Waymo v2 release')
        return files

    def check_row_groups(self, files: Sequence) -> None:
        """Refuse files whose row groups are too large for random access, before anything is read.

        ``files`` holds ``(path, ParquetFile)`` pairs; only their footers are read.
        """
        if self.max_row_group_mib is None:
            return
        too_large = []  # (MiB, rows, path)
        for path, parquet in files:
            meta = parquet.metadata
            image = parquet.schema_arrow.get_field_index(IMAGE_COLUMN)
            largest = max((meta.row_group(g).column(image).total_uncompressed_size / 2**20,
                           meta.row_group(g).num_rows) for g in range(meta.num_row_groups))
            if largest[0] > self.max_row_group_mib:
                too_large.append((*largest, path))
        if not too_large:
            return
        mib, rows, path = max(too_large)
        folder = self.data_prefix.get('img_path', '').rstrip('/') or '.'
        prepared = f'{folder}_rg8'
        raise ValueError(
            f'{len(too_large)} of {len(files)} Waymo parquet files under {folder!r} store their frames in row '
            f'groups larger than max_row_group_mib={self.max_row_group_mib} (the largest: {rows} rows, '
            f'{mib:.0f} MiB of JPEGs, in {path}), as the v2 release does; every random sample would read its '
            'whole row group (docs/data.md measures the cost). Rewrite them once, still parquet, with small row '
            f'groups:\n  python tools/dataset_converters/waymo_parquet_regroup.py {folder} {prepared} '
            f'--rows-per-group 8 --workers 16\nthen train with --cfg-options '
            f'train_dataloader.dataset.data_root={prepared}/ (or set train_dataloader.dataset.max_row_group_mib='
            'None to read these files as they are)')

    def load_data_list(self) -> list[dict]:
        import pyarrow.parquet as pq

        files = [(path, pq.ParquetFile(path)) for path in self.parquet_files()]
        for path, parquet in files:
            missing = set(KEY_COLUMNS + (IMAGE_COLUMN,)) - set(parquet.schema_arrow.names)
            if missing:
                raise ValueError(f'{path} lacks the columns {sorted(missing)}; is it a v2 camera_image file?')
        self.check_row_groups(files)
        data_list, found = [], Counter()
        names = {v: k for k, v in CAMERA_NAMES.items()}
        for path, parquet in files:
            keys = []  # (row group, row in group, segment, timestamp, camera)
            for group in range(parquet.num_row_groups):
                table = parquet.read_row_group(group, columns=list(KEY_COLUMNS))
                segments, stamps, cams = (table.column(name).to_pylist() for name in KEY_COLUMNS)
                keys += [(group, row, seg, ts, stored_camera_id(cam))
                         for row, (seg, ts, cam) in enumerate(zip(segments, stamps, cams))]
            found.update(cam for *_, cam in keys)
            frames = {}  # segment -> frame timestamps
            for _, _, segment, stamp, _ in keys:
                frames.setdefault(segment, set()).add(stamp)
            kept_frames = {(segment, stamp) for segment, stamps in frames.items()
                           for stamp in sorted(stamps)[::self.every_nth_frame]}
            for group, row, segment, stamp, cam in keys:  # file order: neighbours share a row group
                if cam in self.cameras and (segment, stamp) in kept_frames:
                    data_list.append(dict(
                        img_path=f'{path}#{names[cam]}@{stamp}', parquet_path=path,
                        row_group=group, row=row, camera_name=cam, frame_timestamp_micros=int(stamp)))
        unknown = {cam: n for cam, n in found.items() if cam not in names}
        if unknown:
            print_log(f'WaymoCameraParquet: left out {sum(unknown.values())} rows whose key.camera_name is not a v2 '
                      f'CameraName (1-5): {unknown}', logger='current', level=logging.WARNING)
        if not data_list:
            raise ValueError(f'no frame of cameras {[names[c] for c in self.cameras]} in '
                             f'{self.data_prefix.get("img_path")!r}; the files hold cameras {dict(found)}: '
                             'check the cameras option')
        return data_list

    def read_image_bytes(self, path: str, group: int, row: int) -> Optional[bytes]:
        """The JPEG bytes of one row (None for a null cell); files are opened and row groups cached per
        process."""
        import pyarrow.parquet as pq

        if getattr(self, '_pid', None) != os.getpid():  # first call in this (worker) process
            self._pid, self._files, self._groups = os.getpid(), {}, OrderedDict()
        if (path, group) not in self._groups:
            if path not in self._files:
                self._files[path] = pq.ParquetFile(path)
            column = self._files[path].read_row_group(group, columns=[IMAGE_COLUMN]).column(0)
            if self.row_group_cache == 0:
                return column[row].as_py()
            self._groups[(path, group)] = column
            while len(self._groups) > self.row_group_cache:
                self._groups.popitem(last=False)
        self._groups.move_to_end((path, group))
        return self._groups[(path, group)][row].as_py()

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        try:  # a bad row must not end a long run: LoadImageOrSkip skips it, giving img_error as the reason
            info['img_bytes'] = self.read_image_bytes(info['parquet_path'], info['row_group'], info['row'])
            if info['img_bytes'] is None:
                info['img_error'] = f'null {IMAGE_COLUMN} cell (row group {info["row_group"]}, row {info["row"]})'
        except Exception as error:
            info['img_error'] = f'cannot read the row: {error}'
        return info

    def __getstate__(self) -> dict:
        """Drop open files and cached row groups when pickled to a worker process."""
        state = self.__dict__.copy()
        for key in ('_pid', '_files', '_groups'):
            state.pop(key, None)
        return state
