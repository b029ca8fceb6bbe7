"""Camera JPEGs out of Waymo Open Dataset v1 TFRecords, without TensorFlow or generated protos.

A TFRecord file is a sequence of records: ``uint64 length``, ``uint32 masked_crc32c(length)``,
``data``, ``uint32 masked_crc32c(data)``, little endian. Each record of the v1 perception files is a
serialized ``waymo.open_dataset.Frame`` (``waymo_open_dataset/dataset.proto``), of which only a few
fields are read with a minimal protobuf wire-format parser:

* ``Frame.context = 1`` (``Context.name = 1``: the segment name),
* ``Frame.timestamp_micros = 2``,
* ``Frame.images = 4`` (repeated ``CameraImage``: ``name = 1`` the ``CameraName`` enum, ``image = 2``
  the JPEG bytes).

The parser of ``waymo_tfrecord_to_jpeg.py``, beside it: the converter imports it as ``waymo_tfrecord``
(Python puts a script's folder on ``sys.path``); no plugin code reads v1 files.
"""
import struct
from typing import BinaryIO, Iterator, NamedTuple

VARINT, FIXED64, LENGTH_DELIMITED, FIXED32 = 0, 1, 2, 5
FRAME_CONTEXT, FRAME_TIMESTAMP, FRAME_IMAGES = 1, 2, 4
CONTEXT_NAME = 1
CAMERA_IMAGE_NAME, CAMERA_IMAGE_IMAGE = 1, 2


def _crc32c_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


CRC32C_TABLE = _crc32c_table()


def masked_crc32c(data: bytes) -> int:
    """TFRecord's masked CRC-32C (Castagnoli) of ``data``; pure Python, about 10 MB/s."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = CRC32C_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def iter_records(stream: BinaryIO, verify_data_crc: bool = False) -> Iterator[bytes]:
    """Yield the data of each TFRecord record; the length CRC is always checked.

    Raises:
        ValueError: a corrupt or truncated record, with its byte offset.
    """
    offset = 0
    while True:
        header = stream.read(12)
        if not header:
            return
        if len(header) < 12:
            raise ValueError(f'truncated record header at byte {offset}')
        length, length_crc = struct.unpack('<QI', header)
        if masked_crc32c(header[:8]) != length_crc:
            raise ValueError(f'bad length CRC at byte {offset}: not a TFRecord file, or corrupt')
        data = stream.read(length)
        footer = stream.read(4)
        if len(data) < length or len(footer) < 4:
            raise ValueError(f'truncated record at byte {offset} (length {length})')
        if verify_data_crc and masked_crc32c(data) != struct.unpack('<I', footer)[0]:
            raise ValueError(f'bad data CRC in the record at byte {offset}')
        offset += 16 + length
        yield data


def read_varint(buf: memoryview, pos: int) -> tuple[int, int]:
    """Decode the base-128 varint at ``pos``; return ``(value, next position)``."""
    value, shift = 0, 0
    while True:
        if pos >= len(buf):
            raise ValueError('truncated varint')
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def iter_fields(buf: memoryview) -> Iterator[tuple[int, int, object]]:
    """Yield ``(field number, wire type, value)`` of a serialized message.

    Values: int for varints and fixed-width fields (raw little-endian), memoryview for
    length-delimited ones (sub-messages, bytes, strings, packed arrays).
    """
    pos, end = 0, len(buf)
    while pos < end:
        tag, pos = read_varint(buf, pos)
        field, wire = tag >> 3, tag & 7
        if wire == VARINT:
            value, pos = read_varint(buf, pos)
        elif wire == FIXED64:
            value, pos = int.from_bytes(buf[pos:pos + 8], 'little'), pos + 8
        elif wire == FIXED32:
            value, pos = int.from_bytes(buf[pos:pos + 4], 'little'), pos + 4
        elif wire == LENGTH_DELIMITED:
            size, pos = read_varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        else:
            raise ValueError(f'unsupported protobuf wire type {wire} (field {field})')
        if pos > end:
            raise ValueError(f'field {field} runs past the end of the message')
        yield field, wire, value


class CameraFrame(NamedTuple):
    """One ``Frame``'s camera images: ``images`` is a list of ``(CameraName id, JPEG bytes)``."""
    segment: str
    timestamp_micros: int
    images: list


def parse_frame_images(frame: bytes) -> CameraFrame:
    """Read the segment name, timestamp and camera JPEGs of a serialized ``Frame``."""
    segment, timestamp, images = '', 0, []
    for field, wire, value in iter_fields(memoryview(frame)):
        if field == FRAME_CONTEXT and wire == LENGTH_DELIMITED:
            for sub_field, sub_wire, sub_value in iter_fields(value):
                if sub_field == CONTEXT_NAME and sub_wire == LENGTH_DELIMITED:
                    segment = bytes(sub_value).decode('utf-8')
        elif field == FRAME_TIMESTAMP and wire == VARINT:
            timestamp = value
        elif field == FRAME_IMAGES and wire == LENGTH_DELIMITED:
            name, jpeg = 0, b''
            for sub_field, sub_wire, sub_value in iter_fields(value):
                if sub_field == CAMERA_IMAGE_NAME and sub_wire == VARINT:
                    name = sub_value
                elif sub_field == CAMERA_IMAGE_IMAGE and sub_wire == LENGTH_DELIMITED:
                    jpeg = bytes(sub_value)
            images.append((name, jpeg))
    return CameraFrame(segment, timestamp, images)
