"""What never enters pre-training unasked: label maps and evaluation splits. One rule for the folder scan of
:class:`~multisiam_mm.datasets.UnlabeledImageList` and for ``tools/dataset_converters/make_image_list.py``.

Pre-training must not see the frames the fine-tuned model is evaluated on, nor label maps (which are images
too). Left out, unless asked:

* evaluation splits: files under a folder named ``val``, ``test``, ``validation`` or ``testing``
  (Cityscapes ``leftImg8bit/val|test``, SODA10M ``labeled/val|test``, BDD100K ``images/100k/val|test``,
  CamVid ``val``, ``test``);
* label files: anything under ``gtFine``, ``gtCoarse``, ``labels``, ``annotations`` or a ``*annot``
  folder (CamVid ``trainannot``), and Cityscapes label maps (``*_labelIds.png``, ``*_labelTrainIds.png``,
  ``*_instanceIds.png``, ``*_color.png``).
"""
import os
from collections import Counter
from typing import Iterable, Optional

EVAL_SPLIT_DIRS = ('val', 'test', 'validation', 'testing')
LABEL_DIRS = ('gtfine', 'gtcoarse', 'labels', 'annotations')
LABEL_DIR_SUFFIX = 'annot'
LABEL_FILE_SUFFIXES = ('_labelids.png', '_labeltrainids.png', '_instanceids.png', '_color.png')
LABEL_FILES, EVAL_SPLIT = 'label files', 'evaluation split'


def excluded_by(rel_path: str, include_eval: bool = False, include_labels: bool = False) -> Optional[tuple[str, str]]:
    """``(reason, folder)`` when ``rel_path`` is a label file or in an evaluation split, else None.

    ``folder`` is the path up to the folder that decided, for the summary (for a label map matched by
    its name, its top folder and the name pattern).
    """
    parts = rel_path.split(os.sep)
    for depth, part in enumerate(parts[:-1]):
        name = part.lower()
        if not include_labels and (name in LABEL_DIRS or name.endswith(LABEL_DIR_SUFFIX)):
            return LABEL_FILES, os.sep.join(parts[:depth + 1])
        if not include_eval and name in EVAL_SPLIT_DIRS:
            return EVAL_SPLIT, os.sep.join(parts[:depth + 1])
    name = parts[-1].lower()
    if not include_labels and name.endswith(LABEL_FILE_SUFFIXES):
        pattern = '*' + parts[-1][name.rfind('_', 0, len(name) - 4):]  # e.g. *_labelIds.png
        return LABEL_FILES, os.path.join(parts[0], '**', pattern) if len(parts) > 1 else pattern
    return None


def pretraining_images(rel_paths: Iterable[str], include_eval: bool = False,
                       include_labels: bool = False) -> tuple[list[str], Counter]:
    """The paths that may enter pre-training, and ``(reason, folder) -> files`` of those left out."""
    kept, left_out = [], Counter()
    for rel in rel_paths:
        reason = excluded_by(rel, include_eval, include_labels)
        if reason:
            left_out[reason] += 1
        else:
            kept.append(rel)
    return kept, left_out


def left_out_lines(left_out: Counter, keep_labels: str, keep_eval: str) -> list[str]:
    """One line per folder left out: how many files, why, and the option (``keep_labels`` /
    ``keep_eval``, as the caller spells it) that keeps them."""
    return [f'left out {count} files: {reason} {where} (keep them with '
            f'{keep_labels if reason == LABEL_FILES else keep_eval})'
            for (reason, where), count in sorted(left_out.items())]
