"""Workers that only decode and crop, and the device that augments: the same views as the per-view CPU
pipeline under the same seed, flips that the 2D branch can undo, and the preprocessor's contract."""
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.dataset import default_collate
from mmengine.registry import init_default_scope
from mmselfsup.models.utils import SelfSupDataPreprocessor

from multisiam_mm.apis.config_checks import check_view_augment
from multisiam_mm.datasets.per_sample_seed import seeded_rngs
from multisiam_mm.datasets.transforms import IoUConstrainedPairCrop, LoadAndPairCrop, PerViewAugment
from multisiam_mm.models.data_preprocessors import ViewAugmentPreprocessor, augment_views
from multisiam_mm.structures import flip_back
from multisiam_mm.structures import view_augment as layout

from tool_scripts import REPO

BYOL_VIEWS = Config.fromfile(str(REPO / 'configs/_base_/pipelines/byol_view_augment.py'))
FRAMES = sorted(str(path) for path in (REPO / 'demo/camvid/train').glob('*.jpg'))
#: MoCo v1's view augmentation (mmselfsup mocov1 config): grayscale before the jitter, the flip last
MOCO_V1_VIEW = [dict(type='RandomGrayscale', prob=0.2, keep_channels=True),
                dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4, hue=0.4),
                dict(type='RandomFlip', prob=0.5)]
PACK = dict(type='PackSelfSupInputs', key='img', pseudo_label_keys=['crop_boxes', 'flipped', 'view_augment'],
            meta_keys=['img_path'])


@pytest.fixture(autouse=True)
def mmselfsup_scope():
    """Transforms are built by name in the mmselfsup scope, as ``default_scope='mmselfsup'`` does."""
    init_default_scope('mmselfsup')


def two_view_pipeline(views: list, on_device: bool) -> Compose:
    return Compose([LoadAndPairCrop(size=96, decode='full'), PerViewAugment(transforms=views, on_device=on_device),
                    PACK])


def batch_through(pipeline: Compose, seeds: range) -> dict:
    """Each frame under its seed (as SeededSampler gives), collated like the dataloader."""
    with_seeds = [(FRAMES[seed % len(FRAMES)], seed) for seed in seeds]
    samples = []
    for path, seed in with_seeds:
        with seeded_rngs(seed):
            samples.append(pipeline(dict(img_path=path)))
    return default_collate(samples)


@pytest.mark.parametrize('views', [[BYOL_VIEWS.view_pipeline1, BYOL_VIEWS.view_pipeline2],
                                   [MOCO_V1_VIEW, MOCO_V1_VIEW]], ids=['byol', 'mocov1-order'])
def test_the_device_gives_the_cpu_pipelines_views_under_the_same_seed(views):
    seeds = range(48)  # enough for every branch: flips, jitter on/off, grayscale, blur, solarize
    cpu = batch_through(two_view_pipeline(views, on_device=False), seeds)
    device = batch_through(two_view_pipeline(views, on_device=True), seeds)
    params = torch.stack([s.pseudo_label.view_augment for s in device['data_samples']], dim=1)  # (2, B, P)
    assert not params[..., layout.FLIP].isnan().any()
    if views[0] is BYOL_VIEWS.view_pipeline1:  # BYOL: view 1 always blurred, never solarized
        assert not params[0, :, layout.BLUR_SIGMA].isnan().any()
        assert params[0, :, layout.SOLARIZE_THRESHOLD].isnan().all()
        assert (~params[1, :, layout.SOLARIZE_THRESHOLD].isnan()).any()
    assert (~params[..., layout.GRAY_WEIGHTS].isnan().any(-1)).any()  # some view was grayscaled
    for view in range(2):
        augmented = augment_views(device['inputs'][view].float(), params[view])
        assert torch.equal(augmented, cpu['inputs'][view].float())  # pixel for pixel
    assert all(torch.equal(a.pseudo_label.flipped, b.pseudo_label.flipped)
               for a, b in zip(cpu['data_samples'], device['data_samples']))


def test_a_flipped_view_is_flipped_on_the_device_and_flip_back_restores_it():
    """An asymmetric frame, the whole of it as both views: view 1 flipped, view 2 not."""
    frame = np.zeros((60, 80, 3), np.uint8)
    frame[10:30, 5:25] = (0, 0, 255)  # a red block in the top-left corner, BGR
    crop = IoUConstrainedPairCrop(size=(60, 80), scale=(1., 1.), ratio=(4 / 3, 4 / 3), interpolation='nearest')
    augment = PerViewAugment(transforms=[[dict(type='RandomFlip', prob=1.)], [dict(type='RandomFlip', prob=0.)]],
                             on_device=True)
    data = default_collate([Compose([crop, augment, PACK])(dict(img=frame, img_path='asymmetric'))])
    sample = data['data_samples'][0]
    assert sample.pseudo_label.flipped.tolist() == [True, False]
    assert torch.equal(data['inputs'][0], data['inputs'][1])  # the workers left the pixels alone
    preprocessor = ViewAugmentPreprocessor()  # no normalization: pixels as they are
    views, _ = preprocessor(data, training=True)
    red = [view[0, 2] > 200 for view in views]  # (H, W) of each view
    assert red[0][10:30, 55:75].all() and not red[0][:, :55].any()  # flipped: columns 80 - 25 .. 80 - 5
    assert red[1][10:30, 5:25].all() and not red[1][:, 25:].any()
    flipped = torch.stack([s.pseudo_label.flipped for s in data['data_samples']], 1)  # (2, B)
    assert torch.equal(flip_back(views[0], flipped[0]), views[1])  # what the 2D branch relies on


def test_nothing_pending_leaves_the_views_to_the_plain_preprocessor():
    seeds = range(4)
    data = batch_through(two_view_pipeline([BYOL_VIEWS.view_pipeline1, BYOL_VIEWS.view_pipeline2], False), seeds)
    params = torch.stack([s.pseudo_label.view_augment for s in data['data_samples']])  # (B, 2, P)
    assert params[..., layout.FLIP].eq(0).all() and params[..., 1:].isnan().all()
    options = dict(mean=(123.675, 116.28, 103.53), std=(58.395, 57.12, 57.375), bgr_to_rgb=True)
    ours, _ = ViewAugmentPreprocessor(**options)(data)
    plain, _ = SelfSupDataPreprocessor(**options)(data)
    assert all(torch.equal(a, b) for a, b in zip(ours, plain))


def test_views_the_device_cannot_reproduce_are_refused_at_construction():
    with pytest.raises(ValueError, match="only horizontal flips are recorded, got direction='vertical'"):
        PerViewAugment(transforms=[[dict(type='RandomFlip', prob=0.5, direction='vertical')]], on_device=True)
    with pytest.raises(ValueError, match=r'cannot apply .*Resize.* on the device.*on_device=False'):
        PerViewAugment(transforms=[[dict(type='Resize', scale=(4, 4))]], on_device=True)
    with pytest.raises(ValueError, match="ColorJitter's Pillow backend, got backend='cv2'"):
        PerViewAugment(transforms=[[dict(type='ColorJitter', brightness=0.4, backend='cv2')]], on_device=True)
    with pytest.raises(ValueError, match='RandomSolarize appears twice'):
        PerViewAugment(transforms=[[dict(type='RandomSolarize'), dict(type='RandomSolarize')]], on_device=True)
    with pytest.raises(ValueError, match=r"RandomGrayscale\(keep_channels=True, color_format='bgr'\) only"):
        PerViewAugment(transforms=[[dict(type='RandomGrayscale', keep_channels=False)]], on_device=True)


def test_a_device_pipeline_without_the_device_preprocessor_is_refused_before_training():
    cfg = Config(dict(
        model=dict(data_preprocessor=dict(type='SelfSupDataPreprocessor')),
        train_dataloader=dict(dataset=dict(pipeline=[
            dict(type='LoadAndPairCrop'), dict(type='PerViewAugment', transforms=[[], []], on_device=True)]))))
    with pytest.raises(ValueError, match=r"pipeline\[1\] is PerViewAugment\(on_device=True\).*model.data_preprocessor"
                                         r".type is 'SelfSupDataPreprocessor'.*"
                                         r"type=ViewAugmentPreprocessor, or "
                                         r'train_dataloader.dataset.pipeline.1.on_device=False'):
        check_view_augment(cfg)
    cfg.model.data_preprocessor.type = 'ViewAugmentPreprocessor'
    check_view_augment(cfg)
    cfg.train_dataloader.dataset.pipeline[1].on_device = False
    cfg.model.data_preprocessor.type = 'SelfSupDataPreprocessor'
    check_view_augment(cfg)
