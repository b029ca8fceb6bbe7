import io
import struct

import numpy as np
import pytest

from data_test_utils import jpeg_bytes
from tool_scripts import load_tool

waymo_tfrecord = load_tool('tools/dataset_converters/waymo_tfrecord.py')
iter_records, masked_crc32c, parse_frame_images = (waymo_tfrecord.iter_records, waymo_tfrecord.masked_crc32c,
                                                   waymo_tfrecord.parse_frame_images)


# Hand-written protobuf encoding (wire format: tag = field << 3 | wire type; base-128 varints).
def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def field_varint(number: int, value: int) -> bytes:
    return varint(number << 3 | 0) + varint(value)


def field_bytes(number: int, payload: bytes) -> bytes:
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def frame_proto(segment: str, timestamp: int, images: list) -> bytes:
    """A Waymo ``Frame`` with context.name, timestamp_micros, a pose, camera images and a laser."""
    context = field_bytes(1, segment.encode()) + field_bytes(4, field_bytes(2, b'Day'))  # name, stats.time_of_day
    pose = field_bytes(1, struct.pack('<16d', *np.eye(4).ravel()))  # Transform.transform, packed doubles
    frame = field_bytes(1, context) + field_varint(2, timestamp) + field_bytes(3, pose)
    for camera, jpeg in images:
        velocity = varint(1 << 3 | 5) + struct.pack('<f', 1.5)  # Velocity.v_x, a fixed32
        frame += field_bytes(4, field_varint(1, camera) + field_bytes(2, jpeg) + field_bytes(4, velocity)
                             + varint(5 << 3 | 1) + struct.pack('<d', 0.25))  # pose_timestamp, a fixed64
    frame += field_bytes(5, field_varint(1, 1) + field_bytes(2, b'\x00' * 50))  # a Laser to skip
    return frame


def tfrecord(records: list) -> bytes:
    out = b''
    for data in records:
        length = struct.pack('<Q', len(data))
        out += length + struct.pack('<I', masked_crc32c(length)) + data + struct.pack('<I', masked_crc32c(data))
    return out


def test_masked_crc32c_of_the_standard_check_value():
    # CRC-32C("123456789") = 0xE3069283 (the Castagnoli check value); TFRecord masks it as
    # ((crc >> 15) | (crc << 17)) + 0xA282EAD8 mod 2^32
    crc = 0xE3069283
    assert masked_crc32c(b'123456789') == (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def test_frame_images_are_parsed_from_a_hand_encoded_tfrecord():
    jpegs = {cam: jpeg_bytes(np.full((4, 6, 3), 30 * cam, np.uint8)) for cam in range(1, 6)}
    data = tfrecord([frame_proto('segment-1', 1_550_000_000_000_123, list(jpegs.items()))])
    records = list(iter_records(io.BytesIO(data), verify_data_crc=True))
    assert len(records) == 1
    frame = parse_frame_images(records[0])
    assert frame.segment == 'segment-1' and frame.timestamp_micros == 1_550_000_000_000_123
    assert frame.images == list(jpegs.items())


def test_corrupt_framing_is_reported_with_its_offset():
    data = tfrecord([b'abc', b'defg'])
    assert list(iter_records(io.BytesIO(data), verify_data_crc=True)) == [b'abc', b'defg']
    bad_length = data[:8] + b'\x00\x00\x00\x00' + data[12:]
    with pytest.raises(ValueError, match='bad length CRC at byte 0'):
        list(iter_records(io.BytesIO(bad_length)))
    bad_data = data[:12] + b'abX' + data[15:]
    with pytest.raises(ValueError, match='bad data CRC in the record at byte 0'):
        list(iter_records(io.BytesIO(bad_data), verify_data_crc=True))
    with pytest.raises(ValueError, match='truncated record at byte 19'):
        list(iter_records(io.BytesIO(data[:-3])))


def test_converter_writes_jpegs_and_a_list(tmp_path):
    tool = load_tool('tools/dataset_converters/waymo_tfrecord_to_jpeg.py')
    frames = []
    for index in range(3):
        images = [(cam, jpeg_bytes(np.full((4, 6, 3), 10 * index + cam, np.uint8))) for cam in range(1, 6)]
        frames.append((1000 + index, images))
    path = tmp_path / 'segment-7_with_camera_labels.tfrecord'
    path.write_bytes(tfrecord([frame_proto('segment-7', stamp, images) for stamp, images in frames]))
    out = tmp_path / 'jpeg'
    args = tool.parse_args([str(path), '--out', str(out), '--cameras', 'FRONT', 'SIDE_RIGHT',
                            '--every-nth-frame', '2', '--verify-crc'])
    written = tool.convert(args)
    assert written == ['segment-7/FRONT/1000.jpg', 'segment-7/SIDE_RIGHT/1000.jpg',
                       'segment-7/FRONT/1002.jpg', 'segment-7/SIDE_RIGHT/1002.jpg']
    assert (out / 'images.txt').read_text().split() == written
    assert (out / 'segment-7/SIDE_RIGHT/1002.jpg').read_bytes() == frames[2][1][4][1]  # bytes unchanged
