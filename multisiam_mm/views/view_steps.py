"""A view's augmentation pipeline as the core reads it: BYOL's transform configs as small step descriptions.

BYOL's view pipelines (configs/_base_/pipelines/byol_view_augment.py; Sec. 4.1 keeps them) are written as
configs of mmcv's ``RandomFlip``, ``RandomApply`` and ``RandomGrayscale`` and mmselfsup's ``ColorJitter``,
``RandomGaussianBlur`` and ``RandomSolarize``. The core builds none of these classes: each config becomes
one frozen step below, with that class's defaults and argument meanings, whose random parameters
:mod:`multisiam_mm.views.parameter_draws` draws with that class's own random calls and whose pixels
:func:`multisiam_mm.views.augment_views` computes. A config the batched arithmetic does not reproduce
raises here, when ``PerViewAugment`` is built.
"""
import inspect
import numbers
from dataclasses import dataclass
from typing import Callable, ClassVar, Optional, Sequence, Union

import numpy as np

Range = Optional[tuple[float, float]]  # a ColorJitter factor's (min, max); None: that operation is off
SUPPORTED = ('RandomFlip, ColorJitter, RandomGrayscale, RandomGaussianBlur, RandomSolarize and a RandomApply '
             'around one of them, each at most once per view (configs/_base_/pipelines/byol_view_augment.py)')


@dataclass(frozen=True)
class FlipStep:
    """mmcv's ``RandomFlip(prob, direction='horizontal')``: flip horizontally with probability ``prob``."""
    config_type: ClassVar[str] = 'RandomFlip'
    prob: float


@dataclass(frozen=True)
class JitterStep:
    """mmselfsup's ``ColorJitter(backend='pillow')``: each factor's ``(min, max)``, None where it is off."""
    config_type: ClassVar[str] = 'ColorJitter'
    brightness: Range
    contrast: Range
    saturation: Range
    hue: Range


@dataclass(frozen=True)
class GrayscaleStep:
    """mmcv's ``RandomGrayscale(prob, keep_channels=True, channel_weights, color_format='bgr')``."""
    config_type: ClassVar[str] = 'RandomGrayscale'
    prob: float
    channel_weights: tuple[float, float, float]  # BGR, not normalized (the draw normalizes, as mmcv does)


@dataclass(frozen=True)
class BlurStep:
    """mmselfsup's ``RandomGaussianBlur(sigma_min, sigma_max, prob)``: Pillow's blur, sigma ~ U(min, max)."""
    config_type: ClassVar[str] = 'RandomGaussianBlur'
    sigma_min: float
    sigma_max: float
    prob: float


@dataclass(frozen=True)
class SolarizeStep:
    """mmselfsup's ``RandomSolarize(threshold, prob)``: values at or above ``threshold`` become 255 - value."""
    config_type: ClassVar[str] = 'RandomSolarize'
    threshold: float
    prob: float


PhotometricStep = Union[JitterStep, GrayscaleStep, BlurStep, SolarizeStep]


@dataclass(frozen=True)
class RandomApplyStep:
    """mmcv's ``RandomApply(transforms=[one], prob)``: ``step`` with probability ``prob``."""
    config_type: ClassVar[str] = 'RandomApply'
    step: Union[FlipStep, PhotometricStep]
    prob: float


Step = Union[FlipStep, PhotometricStep, RandomApplyStep]
#: the photometric steps, in the order of their STAGES slots (multisiam_mm.views.parameter_layout)
PHOTOMETRIC = (JitterStep, GrayscaleStep, BlurStep, SolarizeStep)


def check_prob(prob: float, config_type: str) -> float:
    """``prob`` as a float in [0, 1], the range each of these classes asserts."""
    if not isinstance(prob, numbers.Real) or not 0 <= prob <= 1:
        raise ValueError(f'{config_type} prob must be a number in [0, 1], got {prob!r}')
    return float(prob)


def jitter_range(value: Union[float, Sequence[float]], name: str, center: float = 1.,
                 bound: tuple[float, float] = (0, float('inf')), clip_first_on_zero: bool = True) -> Range:
    """mmselfsup's ``ColorJitter._check_input``: a number v gives ``[center - v, center + v]`` (its low end
    clipped at 0 but for hue), a pair is kept as given; a range that is only ``center`` turns it off."""
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f'ColorJitter {name} must be non-negative when a single number, got {value!r}')
        value = [center - value, center + value]
        if clip_first_on_zero:
            value[0] = max(value[0], 0.0)
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        if not bound[0] <= value[0] <= value[1] <= bound[1]:
            raise ValueError(f'ColorJitter {name} (min, max) must lie in {bound} with min <= max, got {value!r}')
    else:
        raise ValueError(f'ColorJitter {name} must be a number or a (min, max) pair, got {value!r}')
    return None if value[0] == value[1] == center else tuple(value)


def flip_step(prob: Optional[float] = None, direction: str = 'horizontal') -> FlipStep:
    """``RandomFlip``'s arguments (mmcv's defaults); a horizontal flip only: the pair's boxes record it."""
    if direction != 'horizontal':
        raise ValueError(f"only horizontal flips are recorded, got direction={direction!r}; "
                         "use RandomFlip(direction='horizontal')")
    return FlipStep(check_prob(prob, 'RandomFlip'))


def jitter_step(brightness: Union[float, Sequence[float]] = 0, contrast: Union[float, Sequence[float]] = 0,
                saturation: Union[float, Sequence[float]] = 0, hue: Union[float, Sequence[float]] = 0,
                backend: str = 'pillow') -> JitterStep:
    """``ColorJitter``'s arguments (mmselfsup's defaults); hue within [-0.5, 0.5], as ``adjust_hue`` needs."""
    if backend != 'pillow':
        raise ValueError(f"PerViewAugment reproduces ColorJitter's Pillow backend, got backend={backend!r}; "
                         "use backend='pillow' (mmselfsup's default)")
    if isinstance(hue, numbers.Number) and hue > 0.5:
        raise ValueError(f'ColorJitter hue must be at most 0.5 (a hue factor in [-0.5, 0.5]), got {hue!r}')
    return JitterStep(jitter_range(brightness, 'brightness'), jitter_range(contrast, 'contrast'),
                      jitter_range(saturation, 'saturation'),
                      jitter_range(hue, 'hue', center=0, bound=(-0.5, 0.5), clip_first_on_zero=False))


def grayscale_step(prob: float = 0.1, keep_channels: bool = False, channel_weights: Sequence[float] = (1., 1., 1.),
                   color_format: str = 'bgr') -> GrayscaleStep:
    """``RandomGrayscale``'s arguments (mmcv's defaults); three channels kept, BGR views."""
    if not keep_channels or color_format != 'bgr':
        raise ValueError("PerViewAugment reproduces RandomGrayscale(keep_channels=True, color_format='bgr') only, "
                         f'got keep_channels={keep_channels!r}, color_format={color_format!r}; set those two '
                         '(the views are 3-channel BGR)')
    if len(channel_weights) != 3:
        raise ValueError(f'RandomGrayscale channel_weights must have one weight per BGR channel, got '
                         f'{channel_weights!r}')
    return GrayscaleStep(check_prob(prob, 'RandomGrayscale'), tuple(channel_weights))


def blur_step(sigma_min: float, sigma_max: float, prob: float = 0.5) -> BlurStep:
    """``RandomGaussianBlur``'s arguments (mmselfsup's defaults)."""
    if not 0 <= sigma_min <= sigma_max:
        raise ValueError(f'RandomGaussianBlur needs 0 <= sigma_min <= sigma_max, got {sigma_min!r}, {sigma_max!r}')
    return BlurStep(sigma_min, sigma_max, check_prob(prob, 'RandomGaussianBlur'))


def solarize_step(threshold: float = 128, prob: float = 0.5) -> SolarizeStep:
    """``RandomSolarize``'s arguments (mmselfsup's defaults)."""
    return SolarizeStep(threshold, check_prob(prob, 'RandomSolarize'))


def random_apply_step(transforms: Union[dict, Sequence[dict]], prob: float = 0.5) -> RandomApplyStep:
    """``RandomApply``'s arguments (mmcv's default prob) around exactly one step other than a RandomApply."""
    wrapped = [transforms] if isinstance(transforms, dict) else list(transforms)
    if len(wrapped) != 1:
        raise ValueError(f'PerViewAugment reads a RandomApply around exactly one transform, got {transforms!r}; '
                         'give each step its own RandomApply')
    step = parse_step(wrapped[0])
    if isinstance(step, RandomApplyStep):
        raise ValueError(f'a RandomApply inside a RandomApply is not read, got {transforms!r}; multiply the two '
                         'probabilities into one RandomApply')
    return RandomApplyStep(step, check_prob(prob, 'RandomApply'))


#: config ``type`` -> the function reading its arguments
PARSERS: dict[str, Callable[..., Step]] = {
    'RandomFlip': flip_step, 'ColorJitter': jitter_step, 'RandomGrayscale': grayscale_step,
    'RandomGaussianBlur': blur_step, 'RandomSolarize': solarize_step, 'RandomApply': random_apply_step}


def parse_step(config: dict) -> Step:
    """One transform config (``dict(type=..., **arguments)``) as its step."""
    if not isinstance(config, dict) or config.get('type') not in PARSERS:
        raise ValueError(f'PerViewAugment cannot apply {config!r}: it reads the configs of {SUPPORTED}; a '
                         'geometric transform belongs in the pair crop')
    arguments = {key: value for key, value in config.items() if key != 'type'}
    parser = PARSERS[config['type']]
    try:
        inspect.signature(parser).bind(**arguments)
    except TypeError as error:
        raise ValueError(f'{config!r}: {error}; {config["type"]} takes '
                         f'{list(inspect.signature(parser).parameters)}') from None
    return parser(**arguments)


def unwrap(step: Step) -> Step:
    """The step a ``RandomApplyStep`` wraps, else ``step``."""
    return step.step if isinstance(step, RandomApplyStep) else step


def parse_view_pipeline(configs: Sequence[dict]) -> tuple[Step, ...]:
    """A view's list of transform configs as its steps, each kind at most once (one STAGES slot each)."""
    steps = tuple(parse_step(config) for config in configs)
    kinds = [type(unwrap(step)) for step in steps]
    for kind in set(kinds):
        if kinds.count(kind) > 1:
            raise ValueError(f'PerViewAugment applies each step once per view; {kind.config_type} appears '
                             f'{kinds.count(kind)} times in {list(configs)!r}: merge them into one')
    return steps


def photometric_stages(steps: Sequence[Step]) -> np.ndarray:
    """The STAGES slots of a view: each photometric step's position among them (NaN: absent)."""
    row = np.full(len(PHOTOMETRIC), np.nan)
    photometric = [type(unwrap(step)) for step in steps if isinstance(unwrap(step), PHOTOMETRIC)]
    for position, kind in enumerate(photometric):
        row[PHOTOMETRIC.index(kind)] = position
    return row
