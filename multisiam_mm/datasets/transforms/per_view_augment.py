"""Each view's own flip and photometric pipeline, with the flip recorded (Sec. 4.1)."""
from typing import Callable, Optional, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform, Compose, RandomApply, RandomFlip, RandomGrayscale

from mmselfsup.datasets.transforms import ColorJitter, RandomGaussianBlur, RandomSolarize
from ...registry import TRANSFORMS

from ...compat import hue_shift
from ...structures import view_augment as layout

Transform = Union[dict, Callable[[dict], dict]]

#: the photometric steps the device reproduces, in the order of their STAGES slots
PHOTOMETRIC = (ColorJitter, RandomGrayscale, RandomGaussianBlur, RandomSolarize)


def unwrap(transform: Callable) -> Callable:
    """The transform a ``RandomApply`` wraps (when it wraps exactly one), else ``transform``."""
    if isinstance(transform, RandomApply) and len(transform.transforms.transforms) == 1:
        return transform.transforms.transforms[0]
    return transform


def check_deferrable(pipeline: Compose) -> None:
    """Raise unless the device reproduces every step of ``pipeline``.

    It reproduces a horizontal ``RandomFlip``, ``ColorJitter`` (Pillow backend),
    ``RandomGrayscale(keep_channels=True)`` on BGR, ``RandomGaussianBlur`` and ``RandomSolarize``, each at
    most once, in any order, each possibly inside a ``RandomApply``: BYOL's, MoCo v1's and v2's views.
    """
    fix = 'or keep this pipeline in the workers with PerViewAugment(on_device=False)'
    steps = [unwrap(transform) for transform in pipeline.transforms]
    for step, transform in zip(steps, pipeline.transforms):
        if not isinstance(step, (RandomFlip, *PHOTOMETRIC)):
            raise ValueError(f'PerViewAugment(on_device=True) cannot apply {transform!r} on the device; it applies '
                             f'RandomFlip, {", ".join(t.__name__ for t in PHOTOMETRIC)} (a RandomApply around one '
                             f'of them too), {fix}')
        if sum(type(other) is type(step) for other in steps) > 1:
            raise ValueError(f'PerViewAugment(on_device=True) applies each step once per view; {type(step).__name__} '
                             f'appears twice, {fix}')
        if isinstance(step, RandomFlip) and step.direction != 'horizontal':
            raise ValueError(f"only horizontal flips are recorded, got direction={step.direction!r}; "
                             "use RandomFlip(direction='horizontal')")
        if isinstance(step, ColorJitter) and step.backend != 'pillow':
            raise ValueError(f"the device reproduces ColorJitter's Pillow backend, got backend={step.backend!r}; "
                             f"use backend='pillow' (mmselfsup's default) {fix}")
        if isinstance(step, RandomGrayscale) and (not step.keep_channels or step.color_format != 'bgr'):
            raise ValueError("the device reproduces RandomGrayscale(keep_channels=True, color_format='bgr') only, "
                             f'got {step!r}; {fix}')


def draw_params(transform: Callable, row: np.ndarray) -> None:
    """Draw ``transform``'s random parameters into ``row`` with the transform's own random calls.

    The calls and their order are those of each transform's ``transform()``, so a view gets, under the
    same seed, exactly the parameters the worker-side pipeline would have used.
    """
    if isinstance(transform, RandomFlip):
        row[layout.FLIP] = float(transform._choose_direction() == 'horizontal')
    elif isinstance(transform, RandomApply):
        if transform.random_apply():
            draw_params(unwrap(transform), row)
    elif isinstance(transform, ColorJitter):
        *factors, order = ColorJitter.get_params(transform.brightness, transform.contrast, transform.saturation,
                                                 transform.hue)
        factors[3] = None if factors[3] is None else int(hue_shift(factors[3]))
        row[list(layout.JITTER_OPS)] = [np.nan if f is None else f for f in factors]
        row[layout.ORDER] = order
    elif isinstance(transform, RandomGrayscale):
        if transform._random_prob() < transform.prob:
            row[layout.GRAY_WEIGHTS] = np.array(transform.channel_weights) / sum(transform.channel_weights)
    elif isinstance(transform, RandomGaussianBlur):
        if not np.random.rand() > transform.prob:
            row[layout.BLUR_SIGMA] = np.random.uniform(transform.sigma_min, transform.sigma_max)
    elif isinstance(transform, RandomSolarize):
        if not np.random.rand() > transform.prob:
            row[layout.SOLARIZE_THRESHOLD] = transform.threshold


def photometric_stages(pipeline: Compose) -> np.ndarray:
    """The STAGES slots of a view: each photometric step's position among them (NaN: absent)."""
    row = np.full(len(PHOTOMETRIC), np.nan)
    steps = [unwrap(t) for t in pipeline.transforms if isinstance(unwrap(t), PHOTOMETRIC)]
    for position, step in enumerate(steps):
        row[next(i for i, kind in enumerate(PHOTOMETRIC) if isinstance(step, kind))] = position
    return row


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

    With ``on_device=True`` the worker only draws each view's random parameters (the same draws, so the
    same seed gives the same parameters) and leaves the pixels to ``ViewAugmentPreprocessor``
    (``multisiam_mm.models.data_preprocessors``), which applies them batched on the training device:
    workers then only decode and crop. The model's ``data_preprocessor`` must be that one (the config
    checks say so before training).

    Required keys: ``img`` list of views (H, W, C). Modified keys: ``img`` (unless ``on_device``).
    Added keys: ``flipped`` np.bool_ (num_views,), True where the view is horizontally flipped after
    cropping; ``view_augment`` float64 (num_views, NUM_PARAMS), what is left to do on the device
    (:mod:`multisiam_mm.structures.view_augment`; nothing when ``on_device=False``).

    Args:
        transforms: one list of transform configs (or callables) per view, in view order.
        on_device: draw the parameters here and apply them on the training device. Defaults to False.
    """

    def __init__(self, transforms: Sequence[Sequence[Transform]], on_device: bool = False) -> None:
        super().__init__()
        if not transforms or isinstance(transforms[0], dict):
            raise TypeError('transforms must be a list with one pipeline (a list of transforms) per view, '
                            f'e.g. [view_pipeline1, view_pipeline2]; got {transforms!r}')
        self.pipelines = [Compose(list(pipeline)) for pipeline in transforms]
        self.on_device = on_device
        if on_device:
            for pipeline in self.pipelines:
                check_deferrable(pipeline)
            self.stages = [photometric_stages(pipeline) for pipeline in self.pipelines]

    def transform(self, results: dict) -> Optional[dict]:
        views = results['img']
        if not isinstance(views, list) or len(views) != len(self.pipelines):
            raise ValueError(f'PerViewAugment has {len(self.pipelines)} pipelines but got '
                             f'{len(views) if isinstance(views, list) else "a single image"} views; '
                             'put IoUConstrainedPairCrop or LoadAndPairCrop before it and give one pipeline per view')
        pending = np.stack([layout.nothing_pending() for _ in views])  # (num_views, NUM_PARAMS)
        if self.on_device:
            for row, pipeline, stages in zip(pending, self.pipelines, self.stages):
                for transform in pipeline.transforms:
                    draw_params(transform, row)
                row[layout.STAGES] = stages
            results['flipped'] = pending[:, layout.FLIP] > 0  # (num_views,)
            results['view_augment'] = pending
            return results
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
        results['view_augment'] = pending
        return results

    def __repr__(self) -> str:
        body = ''.join(f'\n  view {i + 1}: {pipeline}' for i, pipeline in enumerate(self.pipelines))
        return f'{self.__class__.__name__}(on_device={self.on_device}{body})'
