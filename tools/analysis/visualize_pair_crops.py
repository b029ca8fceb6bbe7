"""Draw IoU-constrained crop pairs at several thresholds (the paper's Fig. 3) and measure the sampler.

For a few images, each row shows the image once per threshold with ``--pairs`` sampled pairs: view 1
as a thick box, view 2 as a thin box of the same color. With ``--stats N`` it also prints, for
CamVid-sized (480x360) and Waymo-sized (1920x1280) frames, the acceptance rate of the rejection
sampler and the crop-scale distribution of accepted pairs against unconstrained BYOL crops.

    python tools/analysis/visualize_pair_crops.py --img-dir ../shared/data/camvid/train \
        --out work_dirs/analysis/pair_crops.png --stats 200000
"""
import argparse
import os
import random

import cv2
import numpy as np
from mmengine.logging import print_log

from multisiam_mm.datasets.image_decoding import decode_bgr
from multisiam_mm.datasets.transforms import IoUConstrainedPairCrop
from multisiam_mm.datasets.transforms.iou_constrained_pair_crop import sample_random_resized_boxes
from multisiam_mm.structures import box_iou as pair_iou
from multisiam_mm.datasets.unlabeled_image_list import IMG_EXTENSIONS, scan_images

COLORS = [(0, 0, 255), (0, 200, 0), (255, 0, 0), (0, 200, 255), (255, 0, 255), (255, 255, 0)]  # BGR


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--img-dir', default='demo/camvid/train', help='folder of images')
    parser.add_argument('--num-images', type=int, default=3, help='rows of the figure')
    parser.add_argument('--pairs', type=int, default=3, help='pairs drawn per image and threshold')
    parser.add_argument('--thresholds', type=float, nargs='+', default=[0.3, 0.5, 0.7])
    parser.add_argument('--width', type=int, default=400, help='width of each drawn image in pixels')
    parser.add_argument('--out', default='work_dirs/analysis/pair_crops.png', help='PNG to write')
    parser.add_argument('--stats', type=int, default=0, help='candidate pairs for the sampler statistics')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def draw_panel(img: np.ndarray, threshold: float, pairs: int, width: int) -> np.ndarray:
    """The image with ``pairs`` accepted pairs drawn, scaled to ``width`` pixels, with a title bar."""
    height = round(img.shape[0] * width / img.shape[1])
    factor = width / img.shape[1]
    panel = cv2.resize(img, (width, height), interpolation=cv2.INTER_AREA)
    crop = IoUConstrainedPairCrop(iou_threshold=threshold)
    ious = []
    for k in range(pairs):
        boxes, _ = crop.sample_pair(*img.shape[:2])  # (2, 4)
        ious.append(pair_iou(boxes[:1], boxes[1:])[0])
        for view, thickness in zip(boxes * factor, (3, 1)):
            x1, y1, x2, y2 = (int(round(v)) for v in view)
            cv2.rectangle(panel, (x1, y1), (x2 - 1, y2 - 1), COLORS[k % len(COLORS)], thickness)
    title = np.full((28, width, 3), 255, np.uint8)
    text = f'IoU > {threshold}: ' + ', '.join(f'{iou:.2f}' for iou in ious)
    cv2.putText(title, text, (6, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    return np.concatenate([title, panel], axis=0)


def crop_statistics(height: int, width: int, thresholds: list, num_pairs: int, max_attempts: int = 1000) -> str:
    """Markdown table: acceptance rate and view-scale quantiles, constrained vs unconstrained."""
    boxes1 = sample_random_resized_boxes(height, width, num_pairs)  # (N, 4)
    boxes2 = sample_random_resized_boxes(height, width, num_pairs)
    iou = pair_iou(boxes1, boxes2)  # (N,)
    scale = np.concatenate([(boxes1[:, 2] - boxes1[:, 0]) * (boxes1[:, 3] - boxes1[:, 1]),
                            (boxes2[:, 2] - boxes2[:, 0]) * (boxes2[:, 3] - boxes2[:, 1])]) / (height * width)
    rows = [f'| {width}x{height} | IoU > t | acceptance | candidates / pair | P(fallback) | '
            'view scale mean | p10 / p50 / p90 | mean IoU |', '|' + ' --- |' * 8]
    for threshold in [None] + list(thresholds):
        accepted = np.ones_like(iou, bool) if threshold is None else iou > threshold  # (N,)
        rate = accepted.mean()
        views = scale[np.concatenate([accepted, accepted])]
        p10, p50, p90 = np.percentile(views, [10, 50, 90])
        name = 'BYOL (none)' if threshold is None else f'{threshold}'
        fallback = (1 - rate) ** max_attempts
        rows.append(f'| | {name} | {rate:.3f} | {1 / rate:.1f} | {fallback:.1e} | {views.mean():.3f} | '
                    f'{p10:.3f} / {p50:.3f} / {p90:.3f} | {iou[accepted].mean():.3f} |')
    return '\n'.join(rows)


def main(argv=None) -> None:
    args = parse_args(argv)
    random.seed(args.seed)
    np.random.seed(args.seed)
    names = scan_images(args.img_dir, IMG_EXTENSIONS)
    if not names:
        raise FileNotFoundError(f'no image in {args.img_dir}; pass --img-dir with a folder of frames')
    picks = [names[i] for i in np.linspace(0, len(names) - 1, args.num_images).round().astype(int)]
    rows = []
    for name in picks:
        with open(os.path.join(args.img_dir, name), 'rb') as handle:
            img = decode_bgr(handle.read())
        rows.append(np.concatenate([draw_panel(img, t, args.pairs, args.width) for t in args.thresholds], axis=1))
    width = max(row.shape[1] for row in rows)
    figure = np.concatenate([np.pad(row, ((0, 4), (0, width - row.shape[1]), (0, 0)), constant_values=255)
                             for row in rows], axis=0)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    cv2.imwrite(args.out, figure)
    print_log(f'wrote {args.out} ({len(picks)} images x {len(args.thresholds)} thresholds)', logger='current')
    if args.stats:
        for height, width in [(360, 480), (1280, 1920)]:
            print_log(crop_statistics(height, width, args.thresholds, args.stats))


if __name__ == '__main__':
    main()
