"""Drawing a view's parameters: values derivable by hand, and which generator each step draws from (the
comparison with the mmcv / mmselfsup classes themselves is test_mmselfsup_host_draws.py)."""
import random

import numpy as np

from multisiam_mm.views import parameter_layout as layout
from multisiam_mm.views.parameter_draws import draw_view
from multisiam_mm.views.view_steps import parse_view_pipeline


def draw(*configs: dict) -> np.ndarray:
    return draw_view(parse_view_pipeline(configs))


def test_certain_steps_give_their_hand_derived_parameters():
    np.random.seed(0)
    random.seed(0)
    row = draw(dict(type='RandomFlip', prob=1.),
               # degenerate ranges: U(a, a) = a; contrast 0 is off; hue -0.1 -> uint8(int(-25.5) % 256) = 231
               dict(type='ColorJitter', brightness=(0.5, 0.5), saturation=(2., 2.), hue=(-0.1, -0.1)),
               dict(type='RandomGrayscale', prob=1., keep_channels=True, channel_weights=(1, 2, 1)),
               dict(type='RandomGaussianBlur', sigma_min=1.5, sigma_max=1.5, prob=1.),
               dict(type='RandomSolarize', threshold=100, prob=1.))
    assert row[layout.FLIP] == 1.
    assert np.array_equal(row[list(layout.JITTER_OPS)], [0.5, np.nan, 2., 231.], equal_nan=True)
    assert sorted(row[layout.ORDER]) == [0, 1, 2, 3]  # a permutation of the four operations
    assert row[layout.GRAY_WEIGHTS].tolist() == [0.25, 0.5, 0.25]  # mmcv's example: (1, 2, 1) normalized
    assert (row[layout.BLUR_SIGMA], row[layout.SOLARIZE_THRESHOLD]) == (1.5, 100.)
    assert row[layout.STAGES].tolist() == [0, 1, 2, 3]


def test_steps_that_do_not_fire_leave_nothing_pending():
    row = draw(dict(type='RandomFlip', prob=0.),
               dict(type='RandomApply', transforms=[dict(type='ColorJitter', brightness=0.4)], prob=0.),
               dict(type='RandomGrayscale', prob=0., keep_channels=True),
               dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0, prob=0.),
               dict(type='RandomSolarize', prob=0.))
    pending = layout.nothing_pending()
    pending[layout.STAGES] = [0, 1, 2, 3]
    assert np.array_equal(row, pending, equal_nan=True)


def test_a_skipped_random_apply_draws_one_number_and_grayscale_draws_from_python():
    """RandomApply draws its ``rand()`` and nothing of the step it skips; RandomGrayscale draws from Python's
    ``random`` (mmcv's ``_random_prob``), leaving numpy's generator where it was."""
    np.random.seed(3)
    draw(dict(type='RandomApply', transforms=[dict(type='ColorJitter', brightness=0.4)], prob=0.))
    after_apply = np.random.rand()
    np.random.seed(3)
    np.random.rand()
    assert np.random.rand() == after_apply
    random.seed(5)
    numpy_state = np.random.get_state()[1].copy()
    draw(dict(type='RandomGrayscale', prob=0.5, keep_channels=True))
    assert np.array_equal(np.random.get_state()[1], numpy_state)
    after_grayscale = random.random()
    random.seed(5)
    random.random()
    assert random.random() == after_grayscale  # the grayscale step drew exactly one number from Python's


def test_the_same_seeds_give_the_same_rows():
    view = [dict(type='RandomFlip', prob=0.5),
            dict(type='RandomApply', transforms=[dict(type='ColorJitter', brightness=0.4, hue=0.1)], prob=0.8),
            dict(type='RandomGrayscale', prob=0.2, keep_channels=True),
            dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0, prob=0.5)]
    rows = []
    for _ in range(2):
        np.random.seed(7)
        random.seed(7)
        rows.append(np.stack([draw(*view) for _ in range(20)]))
    assert np.array_equal(rows[0], rows[1], equal_nan=True)
