"""The two-view pipeline: robust loading, the IoU-constrained pair crop, per-view augmentation, packing."""
from .iou_constrained_pair_crop import IoUConstrainedPairCrop, sample_random_resized_boxes
from .load_and_pair_crop import LoadAndPairCrop, jpeg_decode_scale
from .load_image_or_skip import LoadImageOrSkip, check_complete, decode_bgr
from .pack_views import PackViews
from .per_view_augment import PerViewAugment

__all__ = ['IoUConstrainedPairCrop', 'LoadAndPairCrop', 'LoadImageOrSkip', 'PackViews', 'PerViewAugment', 'check_complete',
           'decode_bgr', 'jpeg_decode_scale', 'sample_random_resized_boxes']
