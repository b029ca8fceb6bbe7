"""The last step of the two-view pipeline: the views and the fields the model reads, as one sample."""
from typing import Sequence

import numpy as np
from mmcv.transforms import BaseTransform, to_tensor
from mmengine.structures import BaseDataElement

from ...registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackViews(BaseTransform):
    """Pack the views as ``inputs`` and ``fields`` (plus ``meta_keys``) into an mmengine data sample.

    The core's packing, the same under both hosts: ``inputs`` is one ``(C, H, W)`` uint8 tensor per view
    (mmselfsup's ``PackSelfSupInputs`` and mmpretrain's ``PackInputs`` pack views so too); each field is a
    tensor set on the sample itself (read by ``multisiam_mm.structures.packed_fields.packed_field``);
    metainfo holds ``meta_keys``. Batches collate with mmengine's ``default_collate`` into a list of
    ``(B, C, H, W)`` views and a list of samples.

    Required keys: ``img`` (a list of ``(H, W, C)`` views), ``fields``, ``meta_keys``.

    Args:
        fields: the keys the model reads, e.g. ``['crop_boxes', 'flipped', 'view_augment']``.
        meta_keys: kept as metainfo, e.g. ``['img_path', 'ori_shape']``. Defaults to none.
    """

    def __init__(self, fields: Sequence[str], meta_keys: Sequence[str] = ()) -> None:
        super().__init__()
        self.fields = list(fields)
        self.meta_keys = list(meta_keys)

    def transform(self, results: dict) -> dict:
        views = results['img']
        if not isinstance(views, list) or any(np.ndim(view) != 3 for view in views):
            raise ValueError('PackViews packs a list of (H, W, C) views; put LoadAndPairCrop or '
                             'IoUConstrainedPairCrop (and PerViewAugment) before it')
        missing = [key for key in self.fields + self.meta_keys if key not in results]
        if missing:
            raise KeyError(f'PackViews: the pipeline produced no {missing}; drop them from fields/meta_keys '
                           'or add the step that produces them')
        sample = BaseDataElement(metainfo={key: results[key] for key in self.meta_keys})
        for key in self.fields:
            sample.set_field(to_tensor(results[key]), key)
        inputs = [to_tensor(np.ascontiguousarray(view.transpose(2, 0, 1))) for view in views]  # (C, H, W) each
        return dict(inputs=inputs, data_samples=sample)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(fields={self.fields}, meta_keys={self.meta_keys})'
