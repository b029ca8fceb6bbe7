"""Write a list of image paths (relative to a root) for UnlabeledImageList.

Scans ``root`` (or only the given sub-folders of it) recursively, e.g. SODA5M = SODA10M's unlabeled
splits 0, 2, 4, 6, 8 (Sec. 4.1):

    python tools/dataset_converters/make_image_list.py data/soda10m \
        --subdirs <split 0> <split 2> <split 4> <split 6> <split 8> --out data/soda10m/soda5m_train.txt

Unless asked (``--include-eval-splits``, ``--include-labels``), the list leaves out label maps and
evaluation splits, the rule every folder dataset applies too (``multisiam_mm/datasets/pretraining_exclusions.py``),
and prints how many files it left out of which folders.
"""
import argparse
import os
from collections import Counter

from mmengine.logging import print_log

from multisiam_mm.datasets.pretraining_exclusions import left_out_lines, pretraining_images
from multisiam_mm.datasets.unlabeled_image_list import IMG_EXTENSIONS, scan_images


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('root', help='folder the listed paths are relative to (the config data_root)')
    parser.add_argument('--subdirs', nargs='*', default=None,
                        help='only scan these sub-folders of root (default: all of root)')
    parser.add_argument('--extensions', nargs='*', default=list(IMG_EXTENSIONS),
                        help='image file suffixes, case-insensitive')
    parser.add_argument('--include-eval-splits', action='store_true',
                        help='keep files under val/ test/ validation/ testing/ folders')
    parser.add_argument('--include-labels', action='store_true', help='keep label maps and label folders')
    parser.add_argument('--out', required=True, help='list file to write')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    folders = args.subdirs if args.subdirs else ['']
    paths, left_out = [], Counter()  # (reason, folder) -> files
    for sub in folders:
        folder = os.path.join(args.root, sub)
        if not os.path.isdir(folder):
            raise FileNotFoundError(f'{folder} does not exist; check root and --subdirs')
        kept, left = pretraining_images((os.path.join(sub, rel) if sub else rel
                                         for rel in scan_images(folder, args.extensions)),
                                        args.include_eval_splits, args.include_labels)
        paths += kept
        left_out += left
    for line in left_out_lines(left_out, '--include-labels', '--include-eval-splits'):
        print_log(line, logger='current')
    if not paths:
        left = f' once {sum(left_out.values())} label / evaluation files were left out' if left_out else ''
        raise ValueError(f'no image with suffix {args.extensions} under {args.root} {folders}{left}')
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
