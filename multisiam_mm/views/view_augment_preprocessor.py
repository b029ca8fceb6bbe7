"""The model's data preprocessor that applies each view's drawn augmentation on the training device (Sec. 4.1)."""
from typing import Optional

import torch
from mmengine.model import ImgDataPreprocessor
from mmengine.structures import BaseDataElement
from torch import Tensor

from ..registry import MODELS
from ..structures.packed_fields import has_packed_field, packed_field
from .batched_augment import augment_views


def stacked_params(samples: list[BaseDataElement], device: torch.device) -> Tensor:
    """Every sample's packed ``view_augment`` ``(V, NUM_PARAMS)``, stacked per view: ``(V, B, NUM_PARAMS)``."""
    return torch.stack([torch.as_tensor(packed_field(sample, 'view_augment'), device=device)
                        for sample in samples], dim=1)


@MODELS.register_module()
class ViewAugmentPreprocessor(ImgDataPreprocessor):
    """mmengine's ``ImgDataPreprocessor`` for a list of views, which first augments each view batched.

    The dataloader workers decode and crop, and ``PerViewAugment(on_device=True)`` draws each view's BYOL
    augmentation (flip, colour jitter, grayscale, blur, solarize) into the packed ``view_augment``; this
    applies it to the whole batch on the training device (:func:`~multisiam_mm.views.augment_views`), then
    converts BGR to RGB, casts to float and normalizes each view, the arithmetic of mmselfsup's
    ``SelfSupDataPreprocessor``. ``view_augment`` is read on the sample or in its ``pseudo_label``
    (:func:`~multisiam_mm.structures.packed_fields.packed_field`): mmselfsup's ``PackSelfSupInputs`` nests
    it there. Views whose workers already augmented them (``on_device=False``) pack nothing left to do,
    and batches without ``view_augment`` (e.g. mmselfsup's own ``MultiView`` pipelines) pass unaugmented.

    Args: those of ``ImgDataPreprocessor`` (``mean``, ``std``, ``bgr_to_rgb``, ...), as
    ``SelfSupDataPreprocessor`` takes them.
    """

    def normalize(self, view: Tensor) -> Tensor:
        """``(B, 3, H, W)`` -> float ``(B, 3, H, W)``: channels swapped, then ``(x - mean) / std`` if set."""
        if self._channel_conversion:
            view = view[:, [2, 1, 0], ...]
        view = view.float()
        return (view - self.mean) / self.std if self._enable_normalize else view

    def forward(self, data: dict, training: bool = False) -> dict:
        """``dict(inputs=[(B, 3, H, W)] * V, data_samples=...)`` -> the same, augmented and normalized, on the
        device; mmengine's ``BaseModel`` passes it on as ``model(inputs=..., data_samples=...)``."""
        data = self.cast_data(data)  # to the training device
        views: list[Tensor] = data['inputs']
        samples: Optional[list] = data.get('data_samples')
        if samples and has_packed_field(samples[0], 'view_augment'):
            params = stacked_params(samples, views[0].device)  # (V, B, P)
            views = [augment_views(view.float(), view_params) for view, view_params in zip(views, params)]
        return dict(inputs=[self.normalize(view) for view in views], data_samples=samples)
