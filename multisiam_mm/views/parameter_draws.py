"""Each view's random augmentation parameters, drawn with the upstream transforms' own random calls.

BYOL's per-view transforms (mmcv's ``RandomFlip``, ``RandomApply``, ``RandomGrayscale``; mmselfsup's
``ColorJitter``, ``RandomGaussianBlur``, ``RandomSolarize``) draw from numpy's global generator, but
``RandomGrayscale`` from Python's ``random``. Each function below makes exactly the calls, in the order and
under the conditions, of that class's ``transform`` (mmcv 2.0.1, mmselfsup 1.0.0), so under a sample's seed
(:func:`multisiam_mm.datasets.per_sample_seed.seeded_rngs`) a view gets, bit for bit, the parameters those
classes draw; none of them draws while changing pixels, so drawing first and computing later changes
nothing (tests/views/test_mmselfsup_host_draws.py compares with the classes themselves).
"""
import random
from typing import Sequence

import numpy as np

from ..compat import hue_shift
from . import parameter_layout as layout
from .view_steps import (BlurStep, FlipStep, GrayscaleStep, JitterStep, RandomApplyStep, SolarizeStep, Step,
                         photometric_stages)


def draw_flip(step: FlipStep, row: np.ndarray) -> None:
    """``RandomFlip._choose_direction``: ``np.random.choice(['horizontal', None], p=[prob, 1 - prob])``."""
    row[layout.FLIP] = float(np.random.choice(2, p=[step.prob, 1. - step.prob]) == 0)  # index 0: 'horizontal'


def draw_random_apply(step: RandomApplyStep, row: np.ndarray) -> None:
    """``RandomApply.random_apply``: ``np.random.rand() < prob``, then the wrapped step's draws."""
    if np.random.rand() < step.prob:
        draw_step(step.step, row)


def draw_jitter(step: JitterStep, row: np.ndarray) -> None:
    """``ColorJitter.get_params``: the order of the four operations, then a uniform factor for each one that
    is on (brightness, contrast, saturation, hue). The hue factor is stored as the uint8 shift mmcv adds."""
    order = np.random.permutation(4)
    factors = [np.nan if bounds is None else float(np.random.uniform(bounds[0], bounds[1]))
               for bounds in (step.brightness, step.contrast, step.saturation, step.hue)]
    if step.hue is not None:
        factors[3] = float(hue_shift(factors[3]))
    row[list(layout.JITTER_OPS)] = factors
    row[layout.ORDER] = order


def draw_grayscale(step: GrayscaleStep, row: np.ndarray) -> None:
    """``RandomGrayscale._random_prob``: Python's ``random.random() < prob``; mmcv's normalized weights."""
    if random.random() < step.prob:
        row[layout.GRAY_WEIGHTS] = np.array(step.channel_weights) / sum(step.channel_weights)


def draw_blur(step: BlurStep, row: np.ndarray) -> None:
    """``RandomGaussianBlur.transform``: skipped when ``np.random.rand() > prob``, else sigma ~ U(min, max)."""
    if not np.random.rand() > step.prob:
        row[layout.BLUR_SIGMA] = np.random.uniform(step.sigma_min, step.sigma_max)


def draw_solarize(step: SolarizeStep, row: np.ndarray) -> None:
    """``RandomSolarize.transform``: skipped when ``np.random.rand() > prob``."""
    if not np.random.rand() > step.prob:
        row[layout.SOLARIZE_THRESHOLD] = step.threshold


DRAWS = {FlipStep: draw_flip, RandomApplyStep: draw_random_apply, JitterStep: draw_jitter,
         GrayscaleStep: draw_grayscale, BlurStep: draw_blur, SolarizeStep: draw_solarize}


def draw_step(step: Step, row: np.ndarray) -> None:
    """Draw ``step``'s random parameters into ``row`` (``NUM_PARAMS``); an operation not drawn stays NaN."""
    DRAWS[type(step)](step, row)


def draw_view(steps: Sequence[Step]) -> np.ndarray:
    """One view's row (``NUM_PARAMS``, float64): its steps' draws in pipeline order, and their STAGES."""
    row = layout.nothing_pending()
    for step in steps:
        draw_step(step, row)
    row[layout.STAGES] = photometric_stages(steps)
    return row
