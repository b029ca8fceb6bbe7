"""The per-view augmentation parameters, one packed row per view: the contract between draw and pixels.

"All the augmentation parameters are kept the same with BYOL" (Sec. 4.1): each view goes through BYOL's
flip, colour jitter, grayscale, Gaussian blur and solarize. :class:`~multisiam_mm.views.PerViewAugment`
draws a view's random parameters (:mod:`multisiam_mm.views.parameter_draws`) into one float64 row of
``NUM_PARAMS``, and :func:`~multisiam_mm.views.augment_views` applies such rows to a batch of views: in the
dataloader worker (``on_device=False``) or, packed as ``view_augment``, in the model's
``ViewAugmentPreprocessor`` on the training device (``on_device=True``). Float64 because mmcv normalizes
the grayscale weights in float64; the batched operations cast each parameter to the precision Pillow or
mmcv computes with.

A NaN parameter means "that operation is not applied"; a row of :func:`nothing_pending` (flip 0, every
parameter NaN) leaves the view as it is, which is what a worker that already augmented the pixels packs.
"""
import numpy as np

FLIP = 0  # 1.0: flip horizontally (also recorded in the packed `flipped`)
BRIGHTNESS, CONTRAST, SATURATION, HUE = 1, 2, 3, 4  # ColorJitter factors; HUE: the uint8 hue shift 0-255
ORDER = slice(5, 9)  # ColorJitter's random order of its four operations (0 brightness ... 3 hue)
GRAY_WEIGHTS = slice(9, 12)  # RandomGrayscale's normalized channel weights, in BGR order
BLUR_SIGMA = 12  # RandomGaussianBlur's sigma (Pillow's radius)
SOLARIZE_THRESHOLD = 13  # RandomSolarize's threshold
#: the position of ColorJitter, RandomGrayscale, RandomGaussianBlur, RandomSolarize among the view's
#: photometric steps (BYOL: 0, 1, 2, 3; MoCo v1 puts grayscale first); a flip commutes with all of them
STAGES = slice(14, 18)
JITTER_STAGE, GRAY_STAGE, BLUR_STAGE, SOLARIZE_STAGE = 14, 15, 16, 17
NUM_PARAMS = 18

#: ColorJitter's operation ids (mmselfsup's ``fn_id``), in the order the slots above hold their factors
JITTER_OPS = (BRIGHTNESS, CONTRAST, SATURATION, HUE)


def nothing_pending() -> np.ndarray:
    """One view's row that leaves its pixels unchanged: no flip, every operation off."""
    row = np.full(NUM_PARAMS, np.nan)
    row[FLIP] = 0.
    return row
