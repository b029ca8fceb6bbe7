"""Write the camera JPEGs of Waymo Open Dataset v1 TFRecords to files, plus a list, without TensorFlow.

The record framing and the few ``Frame`` fields needed are parsed in pure Python
(``waymo_tfrecord.py``, beside this script); the JPEG bytes are written unchanged (no re-encode).
Output: ``<out>/<segment>/<CAMERA>/<timestamp_micros>.jpg`` and ``<out>/<list>`` with paths relative
to ``<out>``, ready for ``UnlabeledImageList(data_root=<out>, ann_file=<list>)``.

    python tools/dataset_converters/waymo_tfrecord_to_jpeg.py data/waymo_v1/training/*.tfrecord \
        --out data/waymo_v1_jpeg --cameras FRONT FRONT_LEFT --every-nth-frame 1
"""
import argparse
import os

from mmengine.logging import print_log

from multisiam_mm.datasets.waymo_camera_parquet import CAMERA_NAMES, camera_ids
from waymo_tfrecord import iter_records, parse_frame_images  # beside this script, on sys.path when it runs


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('tfrecords', nargs='+', help='v1 segment .tfrecord files')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--cameras', nargs='+', default=list(CAMERA_NAMES), help='camera names to keep')
    parser.add_argument('--every-nth-frame', type=int, default=1, help='keep every n-th frame of each file')
    parser.add_argument('--list', default='images.txt', help='list file name, written inside --out')
    parser.add_argument('--verify-crc', action='store_true',
                        help='also check each record data CRC (pure Python, about 10 MB/s)')
    return parser.parse_args(argv)


def convert(args: argparse.Namespace) -> list[str]:
    """Convert the files; return the written paths relative to ``args.out``."""
    if args.every_nth_frame < 1:
        raise ValueError(f'--every-nth-frame must be >= 1, got {args.every_nth_frame}')
    keep = set(camera_ids(args.cameras))
    names = {v: k for k, v in CAMERA_NAMES.items()}
    written = []
    for path in args.tfrecords:
        with open(path, 'rb') as stream:
            for index, record in enumerate(iter_records(stream, verify_data_crc=args.verify_crc)):
                if index % args.every_nth_frame:
                    continue
                frame = parse_frame_images(record)
                segment = frame.segment or os.path.splitext(os.path.basename(path))[0]
                for camera, jpeg in frame.images:
                    if camera not in keep or not jpeg:
                        continue
                    rel = os.path.join(segment, names[camera], f'{frame.timestamp_micros}.jpg')
                    os.makedirs(os.path.join(args.out, os.path.dirname(rel)), exist_ok=True)
                    with open(os.path.join(args.out, rel), 'wb') as handle:
                        handle.write(jpeg)
                    written.append(rel)
        print_log(f'{path}: {len(written)} images written so far', logger='current')
    with open(os.path.join(args.out, args.list), 'w') as handle:
        handle.write('\n'.join(written) + ('\n' if written else ''))
    return written


def main() -> None:
    args = parse_args()
    written = convert(args)
    print_log(f'wrote {len(written)} JPEGs and the list {os.path.join(args.out, args.list)}', logger='current')


if __name__ == '__main__':
    main()
