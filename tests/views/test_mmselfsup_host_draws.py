"""mmselfsup-host test (imports mmselfsup 1.0): the core's per-view augmentation against the mmcv / mmselfsup
classes that BYOL's view pipelines name, built directly here, under the same seeds.

The core builds none of these classes (multisiam_mm.views.view_steps reads their configs): this file is where
it is held to them. Under each seed the classes run on a view with spies on their random calls, and the
parameters they draw must equal the core's row bit for bit, leaving numpy's and Python's generators in the
same state; on real frames their pixels must equal the core's worker path; and the preprocessor must do
mmselfsup's ``SelfSupDataPreprocessor`` arithmetic.
"""
import random

import mmcv
import numpy as np
import pytest
import torch
from mmcv.transforms import RandomApply, RandomFlip, RandomGrayscale
from mmengine.config import Config
from mmengine.dataset import default_collate
from mmselfsup.datasets.transforms import ColorJitter, PackSelfSupInputs, RandomGaussianBlur, RandomSolarize
from mmselfsup.models.utils import SelfSupDataPreprocessor
from PIL import ImageFilter

from multisiam_mm.compat import hue_shift
from multisiam_mm.datasets.per_sample_seed import seeded_rngs
from multisiam_mm.datasets.transforms import LoadAndPairCrop
from multisiam_mm.views import PerViewAugment, ViewAugmentPreprocessor, augment_views
from multisiam_mm.views import parameter_layout as layout
from multisiam_mm.views.parameter_draws import draw_view
from multisiam_mm.views.view_steps import parse_view_pipeline

from tool_scripts import REPO

BYOL_VIEWS = Config.fromfile(str(REPO / 'configs/_base_/pipelines/byol_view_augment.py'))
FRAMES = sorted(str(path) for path in (REPO / 'demo/camvid/train').glob('*.jpg'))
#: MoCo v1's view augmentation (mmselfsup mocov1 config): grayscale before the jitter, the flip last
MOCO_V1_VIEW = [dict(type='RandomGrayscale', prob=0.2, keep_channels=True),
                dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4, hue=0.4),
                dict(type='RandomFlip', prob=0.5)]
VIEWS = {'byol': [BYOL_VIEWS.view_pipeline1, BYOL_VIEWS.view_pipeline2], 'mocov1': [MOCO_V1_VIEW, MOCO_V1_VIEW]}
UPSTREAM = {'RandomFlip': RandomFlip, 'RandomApply': RandomApply, 'RandomGrayscale': RandomGrayscale,
            'ColorJitter': ColorJitter, 'RandomGaussianBlur': RandomGaussianBlur, 'RandomSolarize': RandomSolarize}
DRAWN = slice(0, layout.STAGES.start)  # the drawn slots (STAGES is the pipeline's order, no draw)


def build_upstream(config: dict):
    """The mmcv / mmselfsup class a config names, built directly (no registry, no scope)."""
    arguments = dict(config)
    kind = UPSTREAM[arguments.pop('type')]
    if kind is RandomApply:
        arguments['transforms'] = [build_upstream(wrapped) for wrapped in arguments['transforms']]
    return kind(**arguments)


def run_pipeline(pipeline: list, view: np.ndarray) -> tuple[np.ndarray, bool]:
    """One view through upstream transforms: ``(pixels, flipped)``."""
    results = dict(img=view.copy())
    for transform in pipeline:
        results = transform(results)
    return results['img'], bool(results.get('flip', False))


class DrawSpy:
    """Runs upstream transforms on a view and writes what they draw into a layout row.

    ColorJitter and RandomGrayscale draw through a method (``get_params``, ``_random_prob``), spied on the
    instance; RandomGaussianBlur's sigma and RandomSolarize's threshold are seen where they reach Pillow's
    ``GaussianBlur`` and ``mmcv.solarize``; RandomFlip records ``flip``; RandomApply's own draw shows in
    whether its transform drew, and in the generators' states.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.row = layout.nothing_pending()
        blur, solarize = ImageFilter.GaussianBlur, mmcv.solarize

        def spied_blur(radius):
            self.row[layout.BLUR_SIGMA] = radius
            return blur(radius=radius)

        def spied_solarize(img, thr=128):
            self.row[layout.SOLARIZE_THRESHOLD] = thr
            return solarize(img, thr=thr)
        monkeypatch.setattr(ImageFilter, 'GaussianBlur', spied_blur)
        monkeypatch.setattr(mmcv, 'solarize', spied_solarize)

    def record_jitter(self, transform: ColorJitter, params: tuple) -> None:
        *factors, order = params
        if factors[3] is not None:
            factors[3] = float(hue_shift(factors[3]))  # the uint8 shift mmcv's adjust_hue adds (numpy 1's)
        self.row[list(layout.JITTER_OPS)] = [np.nan if f is None else f for f in factors]
        self.row[layout.ORDER] = order

    def record_grayscale(self, transform: RandomGrayscale, value: float) -> None:
        if value < transform.prob:  # mmcv's test, then its normalized weights
            self.row[layout.GRAY_WEIGHTS] = np.array(transform.channel_weights) / sum(transform.channel_weights)

    def spy(self, transform):
        """``transform`` with its drawing method spied on (a RandomApply's wrapped transform too)."""
        if isinstance(transform, RandomApply):
            transform.transforms.transforms = [self.spy(wrapped) for wrapped in transform.transforms.transforms]
        for kind, method, record in ((ColorJitter, 'get_params', self.record_jitter),
                                     (RandomGrayscale, '_random_prob', self.record_grayscale)):
            if isinstance(transform, kind):
                original = getattr(transform, method)

                def spied(*args, original=original, record=record):
                    value = original(*args)
                    record(transform, value)
                    return value
                setattr(transform, method, spied)
        return transform

    def run(self, pipeline: list, view: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The view through the upstream transforms: ``(pixels, the drawn row)``."""
        self.row = layout.nothing_pending()
        pixels, flipped = run_pipeline(pipeline, view)
        self.row[layout.FLIP] = float(flipped)
        return pixels, self.row


def generator_states() -> tuple:
    """numpy's and Python's global generators, comparable with ``==``."""
    state = np.random.get_state()
    return state[1].tobytes(), state[2:], random.getstate()


@pytest.mark.parametrize('name', VIEWS)
def test_the_core_draws_what_the_upstream_classes_draw_bit_for_bit(name, monkeypatch):
    spy = DrawSpy(monkeypatch)
    upstream = [[spy.spy(build_upstream(config)) for config in pipeline] for pipeline in VIEWS[name]]
    core = [parse_view_pipeline(pipeline) for pipeline in VIEWS[name]]
    view = np.random.default_rng(0).integers(0, 256, (16, 16, 3), dtype=np.uint8)  # draws ignore the pixels
    fired = np.zeros(layout.NUM_PARAMS)
    for seed in range(400):
        with seeded_rngs(seed):
            expected = [spy.run(pipeline, view)[1].copy() for pipeline in upstream]
            after_upstream = generator_states()
        with seeded_rngs(seed):
            got = [draw_view(steps) for steps in core]
            after_core = generator_states()
        for want, row in zip(expected, got):
            assert want[DRAWN].tobytes() == row[DRAWN].tobytes(), f'seed {seed}: {want} != {row}'
            fired += ~np.isnan(row)
        assert after_upstream == after_core, f'seed {seed}: the draws consumed other random numbers'
    absent = [] if name == 'byol' else [layout.BLUR_SIGMA, layout.SOLARIZE_THRESHOLD]  # MoCo v1 has neither
    assert (fired[DRAWN] > 0).tolist() == [slot not in absent for slot in range(DRAWN.stop)]  # every branch seen


@pytest.mark.parametrize('name', VIEWS)
def test_the_core_worker_path_gives_the_upstream_pipelines_pixels(name):
    """Real frames cropped as shipped, then each view through the classes or through
    ``PerViewAugment(on_device=False)`` under the same seed: the same uint8 pixels and flips."""
    crop = LoadAndPairCrop(size=96, decode='full')
    upstream = [[build_upstream(config) for config in pipeline] for pipeline in VIEWS[name]]
    core = PerViewAugment(transforms=VIEWS[name], on_device=False)
    for seed in range(32):
        with seeded_rngs(seed):
            cropped = crop(dict(img_path=FRAMES[seed % len(FRAMES)]))
            expected = [run_pipeline(pipeline, view) for pipeline, view in zip(upstream, cropped['img'])]
        with seeded_rngs(seed):
            got = core(crop(dict(img_path=FRAMES[seed % len(FRAMES)])))
        assert all(np.array_equal(a, b) for (a, _), b in zip(expected, got['img'])), f'seed {seed}'
        assert [flip for _, flip in expected] == got['flipped'].tolist()


def test_the_preprocessor_does_selfsup_data_preprocessors_arithmetic():
    """Packed by mmselfsup's PackSelfSupInputs (``view_augment`` nested in ``pseudo_label``): ours on the drawn
    batch equals mmselfsup's preprocessor on the views augmented beforehand, and on a batch with nothing
    left to do equals it outright."""
    pack = PackSelfSupInputs(key='img', pseudo_label_keys=['flipped', 'view_augment'])
    crop = LoadAndPairCrop(size=64, decode='full')
    options = dict(mean=(123.675, 116.28, 103.53), std=(58.395, 57.12, 57.375), bgr_to_rgb=True)
    ours, theirs = ViewAugmentPreprocessor(**options), SelfSupDataPreprocessor(**options)
    for on_device in (True, False):
        augment = PerViewAugment(transforms=VIEWS['byol'], on_device=on_device)
        samples = []
        for seed in range(6):
            with seeded_rngs(seed):
                samples.append(pack(augment(crop(dict(img_path=FRAMES[seed])))))
        data = default_collate(samples)
        params = torch.stack([s.pseudo_label.view_augment for s in data['data_samples']], dim=1)  # (2, B, P)
        augmented = dict(data, inputs=[augment_views(v.float(), p) for v, p in zip(data['inputs'], params)])
        expected, _ = theirs(augmented)
        got = ours(data)['inputs']
        assert all(torch.equal(a, b) for a, b in zip(got, expected))
        if not on_device:
            assert all(torch.equal(a, b) for a, b in zip(got, theirs(data)[0]))
