"""Reading BYOL's view pipeline configs into steps: the upstream classes' defaults and argument meanings, and
a clear refusal of anything the batched arithmetic does not reproduce."""
import numpy as np
import pytest

from multisiam_mm.views.view_steps import (BlurStep, FlipStep, GrayscaleStep, JitterStep, RandomApplyStep,
                                           SolarizeStep, parse_step, parse_view_pipeline, photometric_stages)


def test_each_config_reads_with_its_classs_defaults():
    assert parse_step(dict(type='RandomFlip', prob=0.5)) == FlipStep(prob=0.5)
    assert parse_step(dict(type='RandomSolarize')) == SolarizeStep(threshold=128, prob=0.5)
    assert parse_step(dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0)) == BlurStep(0.1, 2.0, 0.5)
    assert parse_step(dict(type='RandomGrayscale', keep_channels=True)) == GrayscaleStep(0.1, (1., 1., 1.))
    assert parse_step(dict(type='RandomApply', transforms=[dict(type='RandomSolarize', prob=1.)])) == \
        RandomApplyStep(SolarizeStep(128, 1.), prob=0.5)
    assert parse_step(dict(type='RandomApply', transforms=dict(type='RandomFlip', prob=1.), prob=0.3)) == \
        RandomApplyStep(FlipStep(1.), prob=0.3)  # mmcv's Compose takes a single config too


def test_color_jitter_ranges_are_mmselfsups():
    # a number v: [1 - v, 1 + v] with the low end clipped at 0, hue [-v, v]; 0 (or a range that is only the
    # centre) turns the operation off; a pair is kept as given
    assert parse_step(dict(type='ColorJitter', brightness=0.4, contrast=1.4, hue=0.1)) == \
        JitterStep(brightness=(0.6, 1.4), contrast=(0.0, 2.4), saturation=None, hue=(-0.1, 0.1))
    assert parse_step(dict(type='ColorJitter', brightness=(0.5, 0.5), saturation=(1, 1), hue=(0, 0))) == \
        JitterStep(brightness=(0.5, 0.5), contrast=None, saturation=None, hue=None)


def test_stages_are_each_photometric_steps_position():
    byol = parse_view_pipeline([dict(type='RandomFlip', prob=0.5),
                                dict(type='RandomApply', transforms=[dict(type='ColorJitter', brightness=0.4)]),
                                dict(type='RandomGrayscale', keep_channels=True),
                                dict(type='RandomGaussianBlur', sigma_min=0.1, sigma_max=2.0),
                                dict(type='RandomSolarize')])
    assert photometric_stages(byol).tolist() == [0, 1, 2, 3]  # jitter, grayscale, blur, solarize
    mocov1 = parse_view_pipeline([dict(type='RandomGrayscale', keep_channels=True),
                                  dict(type='ColorJitter', hue=0.4), dict(type='RandomFlip', prob=0.5)])
    assert np.array_equal(photometric_stages(mocov1), [1, 0, np.nan, np.nan], equal_nan=True)


@pytest.mark.parametrize('config, message', [
    (dict(type='Resize', scale=(4, 4)), r"cannot apply \{'type': 'Resize'.*RandomFlip, ColorJitter.*pair crop"),
    (dict(type='RandomFlip', prob=0.5, direction='vertical'),
     r"only horizontal flips are recorded, got direction='vertical'; use RandomFlip\(direction='horizontal'\)"),
    (dict(type='RandomFlip'), r'RandomFlip prob must be a number in \[0, 1\], got None'),
    (dict(type='RandomSolarize', prob=1.2), r'RandomSolarize prob must be a number in \[0, 1\], got 1.2'),
    (dict(type='ColorJitter', brightness=0.4, backend='cv2'),
     r"ColorJitter's Pillow backend, got backend='cv2'; use backend='pillow'"),
    (dict(type='ColorJitter', hue=0.6), r'hue must be at most 0.5.*got 0.6'),
    (dict(type='ColorJitter', contrast=-0.1), r'contrast must be non-negative.*got -0.1'),
    (dict(type='ColorJitter', saturation=(1.2, 0.8)), r'saturation \(min, max\) must lie in.*got \(1.2, 0.8\)'),
    (dict(type='RandomGrayscale', prob=0.2), r"RandomGrayscale\(keep_channels=True, color_format='bgr'\) only, got "
                                             r"keep_channels=False, color_format='bgr'"),
    (dict(type='RandomGrayscale', keep_channels=True, color_format='rgb'), r"color_format='rgb'; set those two"),
    (dict(type='RandomGrayscale', keep_channels=True, channel_weights=(1, 1)), 'one weight per BGR channel'),
    (dict(type='RandomGaussianBlur', sigma_min=2.0, sigma_max=0.1), r'0 <= sigma_min <= sigma_max, got 2.0, 0.1'),
    (dict(type='RandomSolarize', thr=128), r"got an unexpected keyword argument 'thr'.*RandomSolarize takes "
                                           r"\['threshold', 'prob'\]"),
    (dict(type='RandomApply', transforms=[dict(type='RandomSolarize'), dict(type='RandomFlip', prob=0.5)]),
     'around exactly one transform.*give each step its own RandomApply'),
    (dict(type='RandomApply', transforms=[dict(type='RandomApply', transforms=[dict(type='RandomSolarize')])]),
     'RandomApply inside a RandomApply.*multiply the two probabilities'),
])
def test_what_the_arithmetic_does_not_reproduce_is_named_with_the_fix(config, message):
    with pytest.raises(ValueError, match=message):
        parse_step(config)


def test_a_transform_object_or_a_step_twice_is_refused():
    with pytest.raises(ValueError, match=r'cannot apply <function.*it reads the configs of'):
        parse_view_pipeline([lambda results: results])
    twice = [dict(type='RandomSolarize'), dict(type='RandomApply', transforms=[dict(type='RandomSolarize')])]
    with pytest.raises(ValueError, match='each step once per view; RandomSolarize appears 2 times.*merge them'):
        parse_view_pipeline(twice)
