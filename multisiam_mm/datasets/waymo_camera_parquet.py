"""Waymo Open Dataset v2 camera frames read straight from the ``camera_image`` parquet files.

MultiSiam pre-trains on the camera frames of Waymo (Sec. 4.1). The v2 release stores one parquet
file per segment in ``<split>/camera_image/``; each row is one camera of one frame, with the JPEG
bytes in ``[CameraImageComponent].image``. Frames are indexed at start from the key columns only
and each sample reads its JPEG from its row group, so nothing is extracted to disk first.
"""
import logging
import os
from collections import OrderedDict
from typing import Optional, Sequence, Union

from mmengine.dataset import BaseDataset
from mmengine.logging import print_log

from mmselfsup.registry import DATASETS

from .per_sample_seed import PerSampleSeedMixin

SEGMENT_COLUMN = 'key.segment_context_name'
TIMESTAMP_COLUMN = 'key.frame_timestamp_micros'
CAMERA_COLUMN = 'key.camera_name'
IMAGE_COLUMN = '[CameraImageComponent].image'
CAMERA_NAMES = {'FRONT': 1, 'FRONT_LEFT': 2, 'FRONT_RIGHT': 3, 'SIDE_LEFT': 4, 'SIDE_RIGHT': 5}


def camera_ids(cameras: Sequence[Union[str, int]]) -> list[int]:
    """Map camera names (or ids) to the ``CameraName`` enum ids of the Waymo protos."""
    ids = []
    for camera in cameras:
        if isinstance(camera, str) and camera.upper() in CAMERA_NAMES:
            ids.append(CAMERA_NAMES[camera.upper()])
        elif isinstance(camera, int) and camera in CAMERA_NAMES.values():
            ids.append(camera)
        else:
            raise ValueError(f'unknown Waymo camera {camera!r}; choose from {list(CAMERA_NAMES)} (or ids 1-5)')
    return ids


@DATASETS.register_module()
class WaymoCameraParquet(PerSampleSeedMixin, BaseDataset):
    """Waymo v2 ``camera_image`` frames as an unlabeled image dataset.

    Every ``*.parquet`` under the folder (``data_root`` joined with ``data_prefix['img_path']``,
    recursively) is indexed at construction by reading only the key columns; a sample then reads one
    row group's image column, keeping the last ``row_group_cache`` row groups per worker process.
    Parquet files are opened lazily in each process, so the dataset is safe with dataloader workers.
    The released files hold a whole segment in few row groups, so random access reads far more than
    one JPEG per sample; ``tools/dataset_converters/waymo_parquet_regroup.py`` rewrites them with
    small row groups (still parquet, no JPEG extraction) for training (docs/data.md).

    Each sample's ``img_path`` is ``<file>#<camera>@<timestamp>`` (for logs and metainfo) and
    ``img_bytes`` holds the JPEG for :class:`LoadImageOrSkip`.

    Args:
        data_root: root joined to ``data_prefix``. Defaults to ''.
        data_prefix: ``dict(img_path=folder of camera_image parquet files)``.
        cameras: camera names or ids to keep. Defaults to all five.
        every_nth_frame: keep every n-th frame of each segment (by timestamp order; all selected
            cameras of a kept frame are kept). Defaults to 1 (all frames, 10 Hz).
        row_group_cache: row groups' image columns kept in memory per process. Defaults to 1.
        **kwargs: the rest of ``mmengine.dataset.BaseDataset``'s arguments.
    """

    def __init__(self,
                 data_root: str = '',
                 data_prefix: dict = dict(img_path=''),
                 cameras: Sequence[Union[str, int]] = tuple(CAMERA_NAMES),
                 every_nth_frame: int = 1,
                 row_group_cache: int = 1,
                 **kwargs) -> None:
        if every_nth_frame < 1:
            raise ValueError(f'every_nth_frame must be >= 1, got {every_nth_frame}')
        if row_group_cache < 0:
            raise ValueError(f'row_group_cache must be >= 0, got {row_group_cache}')
        self.cameras = camera_ids(cameras)
        self.every_nth_frame = every_nth_frame
        self.row_group_cache = row_group_cache
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

    def load_data_list(self) -> list[dict]:
        import pyarrow.parquet as pq

        data_list = []
        for path in self.parquet_files():
            parquet = pq.ParquetFile(path)
            missing = {SEGMENT_COLUMN, TIMESTAMP_COLUMN, CAMERA_COLUMN, IMAGE_COLUMN} - set(parquet.schema_arrow.names)
            if missing:
                raise ValueError(f'{path} lacks the columns {sorted(missing)}; is it a v2 camera_image file?')
            keys = []  # (row group, row, segment, timestamp, camera)
            for group in range(parquet.num_row_groups):
                table = parquet.read_row_group(group, columns=[SEGMENT_COLUMN, TIMESTAMP_COLUMN, CAMERA_COLUMN])
                segments, stamps, cams = (table.column(name).to_pylist()
                                          for name in (SEGMENT_COLUMN, TIMESTAMP_COLUMN, CAMERA_COLUMN))
                keys += [(group, row, seg, ts, cam) for row, (seg, ts, cam) in enumerate(zip(segments, stamps, cams))]
            frames = {}  # segment -> frame timestamps
            for _, _, segment, stamp, _ in keys:
                frames.setdefault(segment, set()).add(stamp)
            kept_frames = {(segment, stamp) for segment, stamps in frames.items()
                           for stamp in sorted(stamps)[::self.every_nth_frame]}
            cam_names = {v: k for k, v in CAMERA_NAMES.items()}
            for group, row, segment, stamp, cam in keys:  # file order: neighbours share a row group
                if cam in self.cameras and (segment, stamp) in kept_frames:
                    data_list.append(dict(
                        img_path=f'{path}#{cam_names.get(cam, cam)}@{stamp}', parquet_path=path,
                        row_group=group, row=row, camera_name=int(cam), frame_timestamp_micros=int(stamp)))
        if not data_list:
            raise ValueError(f'no frame of cameras {self.cameras} in {self.data_prefix.get("img_path")!r}; '
                             'check the cameras option')
        return data_list

    def read_image_bytes(self, path: str, group: int, row: int) -> bytes:
        """The JPEG bytes of one row; files are opened and row groups cached per process."""
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
        try:
            info['img_bytes'] = self.read_image_bytes(info['parquet_path'], info['row_group'], info['row'])
        except Exception as error:  # a corrupt file must not end a long run: the loader skips it
            print_log(f'WaymoCameraParquet: cannot read {info["img_path"]}: {error}', logger='current',
                      level=logging.WARNING)
            info['img_bytes'] = b''
        return info

    def __getstate__(self) -> dict:
        """Drop open files and cached row groups when pickled to a worker process."""
        state = self.__dict__.copy()
        for key in ('_pid', '_files', '_groups'):
            state.pop(key, None)
        return state

