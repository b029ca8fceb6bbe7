"""BYOL's per-view augmentation applied to a batch of views, each with its own drawn parameters (Sec. 4.1).

The one place the pixels change: ``PerViewAugment(on_device=False)`` calls :func:`augment_views` on each
view in the dataloader worker, ``ViewAugmentPreprocessor`` on the whole batch on the training device, so
both paths give the same views by construction.
"""
from typing import Callable

import torch
from torch import Tensor

from . import parameter_layout as layout
from . import pillow_photometric as ops

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
    if not bool(selected.any()):  # not this position's step: skip the 16 (order, operation) pairs
        return images
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
        params: ``(B, NUM_PARAMS)`` (:mod:`multisiam_mm.views.parameter_layout`); NaN: not applied.

    Returns:
        ``(B, 3, H, W)`` float, uint8 values: what BYOL's per-view transforms give for these parameters.
    """
    flip = params[:, layout.FLIP] > 0
    images = torch.where(flip.view(-1, 1, 1, 1), images.flip(-1), images)  # a new tensor: the steps write in it
    stages = params[:, layout.STAGES]  # (B, 4): each step's position in the view's pipeline
    for position in range(stages.shape[1]):
        for slot, step in enumerate(STEPS):
            images = step(images, params, stages[:, slot] == position)
    return images
