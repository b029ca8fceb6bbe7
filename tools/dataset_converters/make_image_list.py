"""Write a list of image paths (relative to a root) for UnlabeledImageList.

Scans ``root`` (or only the given sub-folders of it) recursively, e.g. SODA5M = SODA10M's unlabeled
splits 0, 2, 4, 6, 8 (Sec. 4.1):

    python tools/dataset_converters/make_image_list.py data/soda10m \
        --subdirs <split 0> <split 2> <split 4> <split 6> <split 8> --out data/soda10m/soda5m_train.txt

Pre-training must not see the frames the fine-tuned model is evaluated on, nor label maps (which are
images too). Unless asked (``--include-eval-splits``, ``--include-labels``), the list leaves out:

* evaluation splits: files under a folder named ``val``, ``test``, ``validation`` or ``testing``
  (Cityscapes ``leftImg8bit/val|test``, SODA10M ``labeled/val|test``, BDD100K ``images/100k/val|test``);
* label files: anything under ``gtFine``, ``gtCoarse``, ``labels``, ``annotations`` or a ``*annot``
  folder (CamVid ``trainannot``), and Cityscapes label maps (``*_labelIds.png``,
  ``*_labelTrainIds.png``, ``*_instanceIds.png``, ``*_color.png``);

and prints how many files it left out of which folders.
"""
import argparse
import os
from collections import Counter
from typing import Optional

from mmengine.logging import print_log

from multisiam_mm.datasets.unlabeled_image_list import IMG_EXTENSIONS, scan_images

EVAL_SPLIT_DIRS = ('val', 'test', 'validation', 'testing')
LABEL_DIRS = ('gtfine', 'gtcoarse', 'labels', 'annotations')
LABEL_DIR_SUFFIX = 'annot'
LABEL_FILE_SUFFIXES = ('_labelids.png', '_labeltrainids.png', '_instanceids.png', '_color.png')


def excluded_by(rel_path: str, include_eval: bool, include_labels: bool) -> Optional[tuple[str, str]]:
    """``(reason, folder)`` when ``rel_path`` is a label file or in an evaluation split, else None.

    ``folder`` is the path up to the folder that decided, for the summary (for a label map matched by
    its name, its top folder and the name pattern).
    """
    parts = rel_path.split(os.sep)
    for depth, part in enumerate(parts[:-1]):
        name = part.lower()
        if not include_labels and (name in LABEL_DIRS or name.endswith(LABEL_DIR_SUFFIX)):
            return 'label files', os.sep.join(parts[:depth + 1])
        if not include_eval and name in EVAL_SPLIT_DIRS:
            return 'evaluation split', os.sep.join(parts[:depth + 1])
    name = parts[-1].lower()
    if not include_labels and name.endswith(LABEL_FILE_SUFFIXES):
        pattern = '*' + parts[-1][name.rfind('_', 0, len(name) - 4):]  # e.g. *_labelIds.png
        return 'label files', os.path.join(parts[0], '**', pattern) if len(parts) > 1 else pattern
    return None


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
        for rel in (os.path.join(sub, rel) if sub else rel for rel in scan_images(folder, args.extensions)):
            reason = excluded_by(rel, args.include_eval_splits, args.include_labels)
            if reason:
                left_out[reason] += 1
            else:
                paths.append(rel)
    for (reason, where), count in sorted(left_out.items()):
        print_log(f'left out {count} files: {reason} {where} (keep them with '
                  f'{"--include-labels" if reason == "label files" else "--include-eval-splits"})', logger='current')
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
