"""BYOL's per-view augmentation applied to the whole batch on the training device (Sec. 4.1)."""
from typing import Callable, Optional

import torch
from mmselfsup.models.utils import SelfSupDataPreprocessor
from ...registry import MODELS
from torch import Tensor

from ...structures import view_augment as layout
from ..utils import pillow_photometric as ops

#: ColorJitter's operation id (mmselfsup's fn_id) -> (parameter slot, batched operation)
JITTER = {0: (layout.BRIGHTNESS, ops.adjust_brightness), 1: (layout.CONTRAST, ops.adjust_contrast),
          2: (layout.SATURATION, ops.adjust_saturation), 3: (layout.HUE, ops.adjust_hue)}


def apply_where(images: Tensor, selected: Tensor, operation: Callable, values: Tensor) -> Tensor:
    """``operation(images[i], values[i])`` for the selected images only (in place); the others unchanged."""
    if bool(selected.any()):
        index = selected.nonzero().squeeze(1)  # (n,)
        images[index] = operation(images[index], values[index])
    return images


def color_jitter(images: Tensor, params: Tensor, selected: Tensor) -> Tensor:
    """ColorJitter's four operations, each image in its own drawn order, for the selected images."""
    order = params[:, layout.ORDER]  # (B, 4): NaN where ColorJitter was not applied
    for step in range(order.shape[1]):
        for op_id, (slot, operation) in JITTER.items():
            chosen = selected & (order[:, step] == op_id) & ~params[:, slot].isnan()
            images = apply_where(images, chosen, operation, params[:, slot])
    return images


def photometric_step(slot: int, operation: Callable, applied: Callable) -> Callable:
    """One of RandomGrayscale, RandomGaussianBlur, RandomSolarize: ``operation`` with the values in
    ``slot``, on the selected images whose ``applied(values)`` holds."""
    def step(images: Tensor, params: Tensor, selected: Tensor) -> Tensor:
        values = params[:, slot]
        return apply_where(images, selected & applied(values), operation, values)
    return step


#: what each STAGES slot's step does, in the order of the slots
STEPS = (color_jitter,
         photometric_step(layout.GRAY_WEIGHTS, ops.grayscale, lambda w: ~w.isnan().any(1)),
         photometric_step(layout.BLUR_SIGMA, ops.gaussian_blur, lambda sigma: ~sigma.isnan()),
         photometric_step(layout.SOLARIZE_THRESHOLD, ops.solarize, lambda threshold: ~threshold.isnan()))


def augment_views(images: Tensor, params: Tensor) -> Tensor:
    """One view of every pair through its drawn flip, colour jitter, grayscale, blur and solarize.

    Steps run in each view's pipeline order (``STAGES``); the flip first, as it commutes with all of
    them (pixel-wise operations, a symmetric blur with symmetric edges, a mean over the image).

    Args:
        images: ``(B, 3, H, W)`` float, uint8 values, BGR (the packed views).
        params: ``(B, NUM_PARAMS)`` (:mod:`multisiam_mm.structures.view_augment`); NaN: not applied.

    Returns:
        ``(B, 3, H, W)``: what the worker-side ``PerViewAugment`` gives for these parameters.
    """
    flip = params[:, layout.FLIP] > 0
    images = torch.where(flip.view(-1, 1, 1, 1), images.flip(-1), images)  # a new tensor: the steps write in it
    stages = params[:, layout.STAGES]  # (B, 4): each step's position in the view's pipeline
    for position in range(stages.shape[1]):
        for slot, step in enumerate(STEPS):
            images = step(images, params, stages[:, slot] == position)
    return images


@MODELS.register_module()
class ViewAugmentPreprocessor(SelfSupDataPreprocessor):
    """mmselfsup's ``SelfSupDataPreprocessor`` that first augments each view on the training device.

    The dataloader workers decode and crop, and ``PerViewAugment(on_device=True)`` draws each view's BYOL
    augmentation (flip, colour jitter, grayscale, blur, solarize) into ``pseudo_label.view_augment``;
    this applies them batched (:func:`augment_views`), then converts BGR to RGB and normalizes as
    ``SelfSupDataPreprocessor`` does. Views whose workers already augmented them (``on_device=False``)
    pack nothing left to do and pass unchanged, as do batches without ``view_augment`` (e.g. mmselfsup's
    own ``MultiView`` pipelines). Same arguments as ``SelfSupDataPreprocessor``.
    """

    def forward(self, data: dict, training: bool = False) -> tuple[list[Tensor], Optional[list]]:
        data = self.cast_data(data)  # to the training device
        samples = data.get('data_samples')
        if samples and 'view_augment' in samples[0].get('pseudo_label', {}):
            params = torch.stack([sample.pseudo_label.view_augment for sample in samples], dim=1)  # (V, B, P)
            data['inputs'] = [augment_views(view.float(), view_params)
                              for view, view_params in zip(data['inputs'], params)]
        return super().forward(data, training)
