"""Each view's own flip and photometric pipeline, with the flip recorded (Sec. 4.1)."""
from typing import Callable, Optional, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform, Compose

from mmselfsup.registry import TRANSFORMS

Transform = Union[dict, Callable[[dict], dict]]


@TRANSFORMS.register_module()
class PerViewAugment(BaseTransform):
    """Run view ``i``'s pipeline on view ``i`` and gather whether it was flipped.

    After :class:`IoUConstrainedPairCrop` or :class:`LoadAndPairCrop`, "followed by random horizontal
    flip, color jitter, Gaussian blur and solarization [...] kept the same with BYOL" (Sec. 4.1):
    BYOL's two asymmetric pipelines (blur p 1.0 vs 0.1, solarize p 0.0 vs 0.2). Like mmselfsup's
    ``MultiView``, but each pipeline gets its own already-cropped view instead of a deep copy of the
    full image, and mmcv's ``RandomFlip`` record (``flip``) is kept. Pipelines may move pixels only
    by a horizontal flip: a vertical flip or a change of the view's shape raises, since the crop
    boxes would go stale.

    Required keys: ``img`` list of views (H, W, C). Modified keys: ``img``. Added keys: ``flipped``
    np.bool_ (num_views,), True where the view was horizontally flipped after cropping.

    Args:
        transforms: one list of transform configs (or callables) per view, in view order.
    """

    def __init__(self, transforms: Sequence[Sequence[Transform]]) -> None:
        super().__init__()
        if not transforms or isinstance(transforms[0], dict):
            raise TypeError('transforms must be a list with one pipeline (a list of transforms) per view, '
                            f'e.g. [view_pipeline1, view_pipeline2]; got {transforms!r}')
        self.pipelines = [Compose(list(pipeline)) for pipeline in transforms]

    def transform(self, results: dict) -> Optional[dict]:
        views = results['img']
        if not isinstance(views, list) or len(views) != len(self.pipelines):
            raise ValueError(f'PerViewAugment has {len(self.pipelines)} pipelines but got '
                             f'{len(views) if isinstance(views, list) else "a single image"} views; '
                             'put IoUConstrainedPairCrop or LoadAndPairCrop before it and give one pipeline per view')
        out_views, flipped = [], []
        for view, pipeline in zip(views, self.pipelines):
            view_results = {key: value for key, value in results.items() if key != 'img'}
            view_results.update(img=view, img_shape=view.shape[:2])
            view_results = pipeline(view_results)
            if view_results is None:
                return None
            out = view_results['img']
            if out.shape[:2] != view.shape[:2]:
                raise ValueError(f'a per-view pipeline changed the view shape {view.shape[:2]} to '
                                 f'{out.shape[:2]}; geometric transforms belong in the pair crop')
            was_flipped = bool(view_results.get('flip', False))
            direction = view_results.get('flip_direction')
            if was_flipped and direction != 'horizontal':
                raise ValueError(f"only horizontal flips are recorded, got flip_direction={direction!r}; "
                                 "use RandomFlip(direction='horizontal')")
            out_views.append(out)
            flipped.append(was_flipped)
        results['img'] = out_views
        results['flipped'] = np.array(flipped, dtype=np.bool_)  # (num_views,)
        return results

    def __repr__(self) -> str:
        body = ''.join(f'\n  view {i + 1}: {pipeline}' for i, pipeline in enumerate(self.pipelines))
        return f'{self.__class__.__name__}({body})'
