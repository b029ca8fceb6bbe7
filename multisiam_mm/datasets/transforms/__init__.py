"""The two-view pipeline: robust loading, the IoU-constrained pair crop and packing (the per-view augmentation
between them: multisiam_mm.views)."""
from .iou_constrained_pair_crop import IoUConstrainedPairCrop, sample_random_resized_boxes
from .load_and_pair_crop import LoadAndPairCrop
from .load_image_or_skip import LoadImageOrSkip
from .pack_views import PackViews

__all__ = ['IoUConstrainedPairCrop', 'LoadAndPairCrop', 'LoadImageOrSkip', 'PackViews', 'sample_random_resized_boxes']
