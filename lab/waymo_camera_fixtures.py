"""Waymo Open Dataset v2 ``camera_image`` rows in the release's schema, for stand-ins of real files: the
tests' fixtures, ``benchmark_waymo_access``'s replicas and the GPU check's training data (part b).

The schema is ``CameraImageComponent``'s (waymo-research/waymo-open-dataset,
``src/waymo_open_dataset/v2/perception/camera_image.py`` and ``camera_image_test.py``): 15 columns, the
three keys, the JPEG, the pose, the velocity, the pose timestamp and the rolling-shutter parameters. The
plugin's reader, :class:`multisiam_mm.datasets.WaymoCameraParquet`, reads the keys and the JPEG; their
column names and the camera enum are its own. pyarrow is imported when a table is made, so a test module
can import this and still skip where pyarrow does not import.
"""
from typing import Optional, Sequence

from multisiam_mm.datasets.waymo_camera_parquet import (CAMERA_COLUMN, CAMERA_NAMES, IMAGE_COLUMN, SEGMENT_COLUMN,
                                                        TIMESTAMP_COLUMN)

#: camera order within a frame in the released files
RELEASED_CAMERA_ORDER = (1, 2, 4, 3, 5)


def camera_image_schema(camera_names_as_strings: bool = False):
    """The v2 ``CameraImageComponent`` schema (``camera_image_test.py``'s ``test_creates_correct_schema``)."""
    import pyarrow as pa

    prefix = '[CameraImageComponent]'
    float64 = [f'{prefix}.velocity.angular_velocity.{a}' for a in 'xyz'] + [
        f'{prefix}.pose_timestamp', f'{prefix}.rolling_shutter_params.shutter',
        f'{prefix}.rolling_shutter_params.camera_trigger_time',
        f'{prefix}.rolling_shutter_params.camera_readout_done_time']
    return pa.schema(
        [(SEGMENT_COLUMN, pa.string()), (TIMESTAMP_COLUMN, pa.int64()),
         (CAMERA_COLUMN, pa.string() if camera_names_as_strings else pa.int8()), (IMAGE_COLUMN, pa.binary()),
         (f'{prefix}.pose.transform', pa.list_(pa.float64(), 16))]
        + [(f'{prefix}.velocity.linear_velocity.{a}', pa.float32()) for a in 'xyz']
        + [(name, pa.float64()) for name in float64])


def camera_image_table(rows: Sequence[tuple[str, int, int, Optional[bytes]]], camera_names_as_strings: bool = False):
    """``(segment, timestamp_micros, camera id, JPEG bytes or None)`` rows as a v2 ``camera_image`` table.

    The pose is the identity, the vehicle at rest, the pose timestamp the frame's and the shutter
    1 ms, read out in 30 ms: plausible values in every column, for fixtures and stand-ins of real files.
    """
    import pyarrow as pa

    schema = camera_image_schema(camera_names_as_strings)
    names = {v: k for k, v in CAMERA_NAMES.items()}
    seconds = [stamp / 1e6 for _, stamp, _, _ in rows]
    identity = [1., 0., 0., 0., 0., 1., 0., 0., 0., 0., 1., 0., 0., 0., 0., 1.]
    columns = [[r[0] for r in rows], [r[1] for r in rows],
               [names.get(r[2], str(r[2])) if camera_names_as_strings else r[2] for r in rows],
               [r[3] for r in rows], [identity] * len(rows)] + [[0.] * len(rows)] * 6 + [
                   seconds, [0.001] * len(rows), seconds, [s + 0.03 for s in seconds]]
    return pa.Table.from_arrays([pa.array(c, f.type) for c, f in zip(columns, schema)], schema=schema)
