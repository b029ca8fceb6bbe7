"""Write a list of image paths (relative to a root) for UnlabeledImageList.

Scans ``root`` (or only the given sub-folders of it) recursively, e.g. SODA5M = SODA10M's unlabeled
splits 0, 2, 4, 6, 8 (Sec. 4.1):

    python tools/dataset_converters/make_image_list.py data/soda10m \
        --subdirs <split 0> <split 2> <split 4> <split 6> <split 8> --out data/soda10m/soda5m_train.txt
"""
import argparse
import os

from mmengine.logging import print_log

from multisiam_mm.datasets.unlabeled_image_list import IMG_EXTENSIONS, scan_images


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('root', help='folder the listed paths are relative to (the config data_root)')
    parser.add_argument('--subdirs', nargs='*', default=None,
                        help='only scan these sub-folders of root (default: all of root)')
    parser.add_argument('--extensions', nargs='*', default=list(IMG_EXTENSIONS),
                        help='image file suffixes, case-insensitive')
    parser.add_argument('--out', required=True, help='list file to write')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    folders = args.subdirs if args.subdirs else ['']
    paths = []
    for sub in folders:
        folder = os.path.join(args.root, sub)
        if not os.path.isdir(folder):
            raise FileNotFoundError(f'{folder} does not exist; check root and --subdirs')
        paths += [os.path.join(sub, rel) if sub else rel for rel in scan_images(folder, args.extensions)]
    if not paths:
        raise ValueError(f'no image with suffix {args.extensions} under {args.root} {folders}')
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as handle:
        handle.write('\n'.join(paths) + '\n')
    print_log(f'wrote {len(paths)} paths relative to {args.root} to {args.out}', logger='current')
    list_file = os.path.relpath(os.path.abspath(args.out), os.path.abspath(args.root))
    print_log('train on it (configs whose dataset is UnlabeledImageList: SODA, Cityscapes, BDD100K, CamVid) '
              f'with:\n  --cfg-options train_dataloader.dataset.data_root={os.path.join(args.root, "")} '
              f'train_dataloader.dataset.ann_file={list_file} train_dataloader.dataset.data_prefix.img_path=',
              logger='current')


if __name__ == '__main__':
    main()
