"""The IoU-constrained pair crop of MultiSiam (Sec. 3.2 and 4.1).

"Two random crops whose IoU is larger than the pre-defined threshold (0.5 by default) are generated
and then resized to 224 x 224." Each crop is a random-resized crop with BYOL's parameters; the pair
is drawn jointly by rejection sampling, so an accepted pair follows exactly the distribution of two
independent random-resized crops conditioned on ``IoU > iou_threshold``.
"""
import logging
import math
from typing import Optional, Sequence, Union

import mmcv
import numpy as np
from mmcv.image.geometric import cv2_interp_codes, pillow_interp_codes
from mmcv.transforms import BaseTransform
from mmengine.logging import print_log

from ...registry import TRANSFORMS

from ...structures import box_iou


def sample_random_resized_boxes(height: int, width: int, num: int,
                                scale: Sequence[float] = (0.08, 1.0),
                                ratio: Sequence[float] = (3. / 4., 4. / 3.),
                                max_tries: int = 10, with_fallback: bool = False):
    """Draw ``num`` independent random-resized-crop boxes, vectorized.

    The same distribution as mmselfsup's (and torchvision's) ``RandomResizedCrop.get_params``: up to
    ``max_tries`` draws of (area fraction ~ U(scale), log aspect ~ U(log ratio)) with the first that
    fits kept, else the central crop clipped to ``ratio``; the integer top-left corner is uniform.
    Uses the global numpy RNG (seeded per dataloader worker by mmengine).

    Args:
        height: image height in pixels (>= 1).
        width: image width in pixels (>= 1).
        num: number of boxes.
        scale: range of the crop area as a fraction of the image area.
        ratio: range of the crop aspect ratio (width / height).
        max_tries: draws per box before falling back to the central crop.
        with_fallback: also return which boxes are the central-crop fallback.

    Returns:
        ``(num, 4)`` float64 boxes ``(x1, y1, x2, y2)`` with integer, continuous pixel edges, and with
        ``with_fallback`` a ``(num,)`` bool array, True where no draw fitted (the central crop).
    """
    area = height * width
    log_ratio = np.random.uniform(math.log(ratio[0]), math.log(ratio[1]), size=(num, max_tries))
    target_area = area * np.random.uniform(scale[0], scale[1], size=(num, max_tries))
    aspect = np.exp(log_ratio)  # (num, max_tries)
    crop_w = np.round(np.sqrt(target_area * aspect))  # (num, max_tries)
    crop_h = np.round(np.sqrt(target_area / aspect))
    fits = (crop_w > 0) & (crop_w <= width) & (crop_h > 0) & (crop_h <= height)
    first = fits.argmax(axis=1)  # (num,): first fitting try (0 when none fits)
    rows = np.arange(num)
    crop_w, crop_h = crop_w[rows, first], crop_h[rows, first]  # (num,)
    # central-crop fallback where no try fits
    in_ratio = width / height
    if in_ratio < min(ratio):
        center_w, center_h = width, max(1, int(round(width / min(ratio))))
    elif in_ratio > max(ratio):
        center_w, center_h = max(1, int(round(height * max(ratio)))), height
    else:
        center_w, center_h = width, height
    none_fits = ~fits.any(axis=1)
    crop_w = np.where(none_fits, center_w, crop_w)
    crop_h = np.where(none_fits, center_h, crop_h)
    left = np.floor(np.random.random_sample(num) * (width - crop_w + 1))  # uniform in [0, W - w]
    top = np.floor(np.random.random_sample(num) * (height - crop_h + 1))
    left = np.where(none_fits, (width - crop_w) // 2, left)
    top = np.where(none_fits, (height - crop_h) // 2, top)
    boxes = np.stack([left, top, left + crop_w, top + crop_h], axis=1)  # (num, 4)
    return (boxes, none_fits) if with_fallback else boxes


def check_iou_threshold(iou_threshold: Optional[float]) -> None:
    """The pair constraint IoU > ``iou_threshold`` (Sec. 3.2) needs a threshold in [0, 1), or None for none."""
    if iou_threshold is not None and not 0 <= iou_threshold < 1:
        raise ValueError(f'iou_threshold must be in [0, 1) or None, got {iou_threshold} (None: two unconstrained '
                         'crops)')


def near_box(box: np.ndarray, height: int, width: int, iou_threshold: float) -> np.ndarray:
    """A box of the same size as ``box``, shifted so that its IoU with ``box`` exceeds the threshold.

    For two equal ``w x h`` boxes whose overlap covers a fraction ``r`` of each, IoU = r / (2 - r),
    so IoU > t iff r > 2t / (1 + t). A target overlap is drawn uniformly in (2t / (1 + t), 1], split
    evenly over both axes, and each axis' shift is rounded towards zero (rounding only adds overlap);
    a shift that would leave the image goes the other way, or is dropped when neither way fits.

    Args:
        box: ``(4,)`` integer-edged box inside the image.
        height: image height.
        width: image width.
        iou_threshold: the IoU to exceed, in [0, 1).

    Returns:
        ``(4,)`` float64 box inside the image.
    """
    min_overlap = 2 * iou_threshold / (1 + iou_threshold)
    overlap = np.random.uniform(min_overlap, 1.0)
    keep = math.sqrt(overlap)  # fraction of each side that stays overlapping
    shifted = box.copy()
    for axis, limit in ((0, width), (1, height)):
        size = box[axis + 2] - box[axis]
        shift = math.floor((1 - keep) * size)
        sign = 1 if np.random.random_sample() < 0.5 else -1
        for direction in (sign, -sign, 0):
            low = box[axis] + direction * shift
            if 0 <= low and low + size <= limit:
                shifted[axis], shifted[axis + 2] = low, low + size
                break
    return shifted


@TRANSFORMS.register_module()
class IoUConstrainedPairCrop(BaseTransform):
    """Two random-resized crops with IoU above a threshold (Sec. 3.2, 4.1), boxes recorded.

    Sampling is rejection sampling, vectorized: candidate pairs of independent random-resized-crop
    boxes are drawn ``batch_size`` at a time and the first pair with ``IoU > iou_threshold`` in
    original-image pixels is kept, so accepted pairs are distributed exactly as unconstrained BYOL
    crop pairs conditioned on the threshold. If none of ``max_attempts`` candidates passes (only at
    high thresholds or odd image shapes), the second view is drawn near the first with
    :func:`near_box`, which satisfies the threshold by construction, and a warning is logged with a
    running count: the threshold is never silently violated. ``iou_threshold=None`` disables the
    constraint (two independent BYOL crops, boxes still recorded).

    Any image of at least 1 x 1 pixel works: the crop is a fraction of the image and is resized to
    ``size``, so images smaller than ``size`` are upsampled, as in BYOL.

    Required keys: ``img`` (H, W, C) uint8. Added keys: ``crop_boxes`` float32 (2, 4), each view's
    ``(x1, y1, x2, y2)`` in original-image pixels. Modified keys: ``img`` becomes ``[view1, view2]``,
    each (size_h, size_w, C); ``img_shape``.

    Args:
        size: output size of each view, int or (h, w). Defaults to 224 (Sec. 4.1).
        scale: range of the crop area fraction. Defaults to BYOL's (0.08, 1.0).
        ratio: range of the crop aspect ratio. Defaults to BYOL's (3/4, 4/3).
        iou_threshold: a pair is accepted when its IoU exceeds this, in [0, 1); ``None`` for
            unconstrained crops. Defaults to 0.5 (Sec. 4.1; Fig. 3 shows 0.3 / 0.5 / 0.7).
        max_attempts: candidate pairs drawn before the fallback. Defaults to 1000.
        batch_size: candidate pairs drawn per vectorized round. Defaults to 16.
        interpolation: resize interpolation, one of mmcv's names. Defaults to 'bicubic' (BYOL).
        backend: 'pillow' (BYOL's, antialiased when downsampling) or 'cv2'. Defaults to 'pillow'.
    """

    def __init__(self,
                 size: Union[int, Sequence[int]] = 224,
                 scale: Sequence[float] = (0.08, 1.0),
                 ratio: Sequence[float] = (3. / 4., 4. / 3.),
                 iou_threshold: Optional[float] = 0.5,
                 max_attempts: int = 1000,
                 batch_size: int = 16,
                 interpolation: str = 'bicubic',
                 backend: str = 'pillow') -> None:
        super().__init__()
        self.size = (size, size) if isinstance(size, int) else tuple(size)  # (h, w)
        if len(self.size) != 2 or min(self.size) < 1:
            raise ValueError(f'size must be a positive int or (h, w), got {size}')
        if not 0 < scale[0] <= scale[1] <= 1:
            raise ValueError(f'scale must satisfy 0 < min <= max <= 1, got {scale}')
        if not 0 < ratio[0] <= ratio[1]:
            raise ValueError(f'ratio must satisfy 0 < min <= max, got {ratio}')
        check_iou_threshold(iou_threshold)
        if max_attempts < 1 or batch_size < 1:
            raise ValueError(f'max_attempts and batch_size must be >= 1, got {max_attempts} and {batch_size}')
        if backend not in ('pillow', 'cv2'):
            raise ValueError(f"backend must be 'pillow' or 'cv2', got {backend!r}")
        codes = pillow_interp_codes if backend == 'pillow' else cv2_interp_codes
        if interpolation not in codes:
            raise ValueError(f'interpolation {interpolation!r} is not supported by the {backend} backend; '
                             f'choose one of {sorted(codes)}')
        self.scale = tuple(scale)
        self.ratio = tuple(ratio)
        self.iou_threshold = iou_threshold
        self.max_attempts = max_attempts
        self.batch_size = min(batch_size, max_attempts)
        self.interpolation = interpolation
        self.backend = backend
        self.num_fallbacks = 0  # per process
        self.num_pairs = 0  # pairs drawn in this process, and how many were the central crop twice
        self.num_central_pairs = 0
        self.warned_central = False

    def sample_pair(self, height: int, width: int) -> tuple[np.ndarray, int]:
        """Draw one accepted pair of boxes for an image of ``height x width``.

        Returns:
            ``(2, 4)`` float64 boxes and the number of candidate pairs drawn, or 0 for the fallback.
        """
        drawn = 0
        while drawn < self.max_attempts:
            num = 1 if self.iou_threshold is None else min(self.batch_size, self.max_attempts - drawn)
            boxes1, central1 = sample_random_resized_boxes(height, width, num, self.scale, self.ratio,
                                                           with_fallback=True)  # (num, 4), (num,)
            boxes2, central2 = sample_random_resized_boxes(height, width, num, self.scale, self.ratio,
                                                           with_fallback=True)
            if self.iou_threshold is None:
                self._count_pair(central1[0] and central2[0])
                return np.stack([boxes1[0], boxes2[0]]), drawn + 1
            accepted = np.flatnonzero(box_iou(boxes1, boxes2) > self.iou_threshold)  # (num_ok,)
            if accepted.size:
                first = accepted[0]
                self._count_pair(central1[first] and central2[first])
                return np.stack([boxes1[first], boxes2[first]]), drawn + first + 1
            drawn += num
        first_box = boxes1[0]
        second_box = near_box(first_box, height, width, self.iou_threshold)
        if not box_iou(first_box[None], second_box[None])[0] > self.iou_threshold:
            second_box = first_box.copy()  # tiny boxes where rounding ate the margin: IoU 1
        return np.stack([first_box, second_box]), 0

    def _count_pair(self, both_central: bool) -> None:
        self.num_pairs += 1
        self.num_central_pairs += int(both_central)

    def warn_if_mostly_central(self, height: int, width: int, img_path: Optional[str]) -> None:
        """Warn once per process when most pairs (over at least 50) are the central crop twice.

        On images far outside ``ratio`` (e.g. 4000x300 panoramas) no random-resized box fits, both views
        become the same central box, and the pair passes any IoU threshold while teaching nothing.
        """
        if self.warned_central or self.num_pairs < 50 or 2 * self.num_central_pairs <= self.num_pairs:
            return
        self.warned_central = True
        print_log(
            f'{type(self).__name__}: {self.num_central_pairs / self.num_pairs:.0%} of {self.num_pairs} pairs '
            f'in this worker were the central crop for both views (e.g. {img_path or "an image"}, '
            f'{width}x{height}): no crop with aspect ratio in {self.ratio} and area fraction in '
            f'{self.scale} fits such images, so the two views are the same box. Crop or split such frames, '
            'or widen ratio. (Said once per worker.)', logger='current', level=logging.WARNING)

    def sample_boxes(self, height: int, width: int, img_path: Optional[str] = None) -> np.ndarray:
        """:meth:`sample_pair`, with a logged warning and a running count when it falls back.

        Returns:
            ``(2, 4)`` float64 boxes in original-image pixels.
        """
        boxes, drawn = self.sample_pair(height, width)  # (2, 4)
        if drawn == 0:
            self.num_fallbacks += 1
            iou = box_iou(boxes[:1], boxes[1:])[0]
            print_log(
                f'{type(self).__name__}: no pair with IoU > {self.iou_threshold} in {self.max_attempts} '
                f'candidates for {img_path or "an image"} ({width}x{height}); drew the second '
                f'view near the first (IoU {iou:.3f}). Fallbacks so far in this process: '
                f'{self.num_fallbacks}', logger='current', level=logging.WARNING)
        self.warn_if_mostly_central(height, width, img_path)
        return boxes

    def crop_and_resize(self, img: np.ndarray, boxes: np.ndarray) -> list[np.ndarray]:
        """Cut each integer-edged box out of ``img`` (H, W, C) and resize it, exactly as BYOL's crop.

        The crop is copied to a contiguous array first: the same pixels as resizing the strided slice
        (what BYOL's ``mmcv.imcrop`` hands to ``mmcv.imresize``), but Pillow's ``fromarray`` then reads
        the buffer directly instead of going through numpy's slow strided ``tobytes`` (the hot spot of
        the full-decode path on 1920x1280 frames).
        """
        out_h, out_w = self.size
        return [
            mmcv.imresize(np.ascontiguousarray(img[y1:y2, x1:x2]), (out_w, out_h),
                          interpolation=self.interpolation, backend=self.backend)  # (out_h, out_w, C)
            for x1, y1, x2, y2 in boxes.astype(np.int64)
        ]

    def transform(self, results: dict) -> dict:
        img = results['img']  # (H, W, C)
        boxes = self.sample_boxes(*img.shape[:2], results.get('img_path'))  # (2, 4)
        results['img'] = self.crop_and_resize(img, boxes)
        results['img_shape'] = self.size
        results['crop_boxes'] = boxes.astype(np.float32)  # (2, 4)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(size={self.size}, scale={self.scale}, ratio={self.ratio}, '
                f'iou_threshold={self.iou_threshold}, max_attempts={self.max_attempts}, '
                f'interpolation={self.interpolation}, backend={self.backend})')
