"""Each view's own flip and photometric augmentation, with the flip recorded (Sec. 4.1)."""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from ..registry import TRANSFORMS
from . import parameter_layout as layout
from .batched_augment import augment_views
from .parameter_draws import draw_view
from .view_steps import parse_view_pipeline


def augment_view(view: np.ndarray, row: np.ndarray) -> np.ndarray:
    """One uint8 ``(H, W, 3)`` BGR view through its drawn ``row``, by :func:`augment_views` on the CPU."""
    image = torch.from_numpy(np.ascontiguousarray(view)).permute(2, 0, 1)[None].float()  # (1, 3, H, W)
    out = augment_views(image, torch.from_numpy(row)[None])  # (1, 3, H, W), uint8 values
    return out[0].permute(1, 2, 0).to(torch.uint8).contiguous().numpy()  # (H, W, 3)


@TRANSFORMS.register_module()
class PerViewAugment(BaseTransform):
    """Draw view ``i``'s augmentation with pipeline ``i``, record whether it is flipped, and apply it.

    After :class:`IoUConstrainedPairCrop` or :class:`LoadAndPairCrop`, "followed by random horizontal
    flip, color jitter, Gaussian blur and solarization [...] kept the same with BYOL" (Sec. 4.1):
    BYOL's two asymmetric pipelines (blur p 1.0 vs 0.1, solarize p 0.0 vs 0.2). Like mmselfsup's
    ``MultiView``, but each pipeline gets its own already-cropped view instead of a deep copy of the
    full image, and the flip is recorded (``flipped``) so the 2D branch can undo it.

    A pipeline is a list of configs of BYOL's transforms, read with those classes' defaults and argument
    meanings: ``RandomFlip(prob, direction='horizontal')``, ``ColorJitter(brightness, contrast,
    saturation, hue, backend='pillow')``, ``RandomGrayscale(prob, keep_channels=True, channel_weights,
    color_format='bgr')``, ``RandomGaussianBlur(sigma_min, sigma_max, prob)``, ``RandomSolarize(threshold,
    prob)``, and ``RandomApply(transforms=[one of them], prob)``, each at most once; anything else raises
    when this is built (:mod:`multisiam_mm.views.view_steps`). No class of them is built: each view's
    parameters are drawn here with those classes' own random calls (:mod:`multisiam_mm.views.parameter_draws`),
    so a seed gives the parameters they would draw, and the pixels are computed by
    :func:`multisiam_mm.views.augment_views`, which reproduces their arithmetic.

    Where the pixels are computed is ``on_device``'s choice; the views are the same either way. False:
    here, in the dataloader worker (each view as a ``(1, 3, H, W)`` CPU batch). True: the worker only
    draws, and the model's ``ViewAugmentPreprocessor`` applies the packed parameters to the whole batch on
    the training device, so workers only decode and crop; the config checks ask for that preprocessor
    before training.

    Required keys: ``img`` list of uint8 BGR views (H, W, 3). Modified keys: ``img`` (unless
    ``on_device``). Added keys: ``flipped`` np.bool_ (num_views,), True where the view is horizontally
    flipped after cropping; ``view_augment`` float64 (num_views, NUM_PARAMS), what is left to do on the
    device (:mod:`multisiam_mm.views.parameter_layout`; nothing when ``on_device=False``).

    Args:
        transforms: one list of transform configs per view, in view order.
        on_device: leave the pixels to the training device's ``ViewAugmentPreprocessor``. Defaults to False.
    """

    def __init__(self, transforms: Sequence[Sequence[dict]], on_device: bool = False) -> None:
        super().__init__()
        if not transforms or isinstance(transforms[0], dict):
            raise TypeError('transforms must be a list with one pipeline (a list of transform configs) per view, '
                            f'e.g. [view_pipeline1, view_pipeline2]; got {transforms!r}')
        self.views = [parse_view_pipeline(pipeline) for pipeline in transforms]
        self.on_device = on_device

    def transform(self, results: dict) -> dict:
        views = results['img']
        if not isinstance(views, list) or len(views) != len(self.views):
            raise ValueError(f'PerViewAugment has {len(self.views)} pipelines but got '
                             f'{len(views) if isinstance(views, list) else "a single image"} views; '
                             'put IoUConstrainedPairCrop or LoadAndPairCrop before it and give one pipeline per view')
        params = np.stack([draw_view(steps) for steps in self.views])  # (num_views, NUM_PARAMS)
        results['flipped'] = params[:, layout.FLIP] > 0  # (num_views,)
        if self.on_device:
            results['view_augment'] = params
            return results
        results['img'] = [augment_view(view, row) for view, row in zip(views, params)]
        results['view_augment'] = np.stack([layout.nothing_pending() for _ in views])  # (num_views, NUM_PARAMS)
        return results

    def __repr__(self) -> str:
        body = ''.join(f'\n  view {i + 1}: {list(steps)}' for i, steps in enumerate(self.views))
        return f'{self.__class__.__name__}(on_device={self.on_device}{body})'
