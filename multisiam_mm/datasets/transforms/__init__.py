"""The two-view pipeline: robust loading, the IoU-constrained pair crop and per-view augmentation."""
from .iou_constrained_pair_crop import IoUConstrainedPairCrop, sample_random_resized_boxes
from .load_image_or_skip import LoadImageOrSkip, decode_bgr
from .per_view_augment import PerViewAugment

__all__ = ['IoUConstrainedPairCrop', 'LoadImageOrSkip', 'PerViewAugment', 'decode_bgr',
           'sample_random_resized_boxes']
