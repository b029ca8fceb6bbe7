"""Workers that only draw and the device that augments: the same views as the worker path under the same seed,
flips the 2D branch can undo, and the preprocessor's contract (what it reads, what it returns)."""
import numpy as np
import pytest
import torch
from mmengine.dataset import default_collate
from mmengine.structures import BaseDataElement

from multisiam_mm.datasets.transforms import IoUConstrainedPairCrop
from multisiam_mm.structures import flip_back
from multisiam_mm.views import PerViewAugment, ViewAugmentPreprocessor
from multisiam_mm.views import parameter_layout as layout

from view_batches import BYOL_VIEWS, batch_through, pack

#: MoCo v1's view augmentation (mmselfsup mocov1 config): grayscale before the jitter, the flip last
MOCO_V1_VIEW = [dict(type='RandomGrayscale', prob=0.2, keep_channels=True),
                dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4, hue=0.4),
                dict(type='RandomFlip', prob=0.5)]


@pytest.mark.parametrize('views', [[BYOL_VIEWS.view_pipeline1, BYOL_VIEWS.view_pipeline2],
                                   [MOCO_V1_VIEW, MOCO_V1_VIEW]], ids=['byol', 'mocov1-order'])
def test_the_device_gives_the_workers_views_under_the_same_seed(views):
    seeds = range(48)  # enough for every branch: flips, jitter on/off, grayscale, blur, solarize
    worker = batch_through(views, on_device=False, seeds=seeds)
    device = batch_through(views, on_device=True, seeds=seeds)
    params = torch.stack([sample.view_augment for sample in device['data_samples']], dim=1)  # (2, B, P)
    assert not params[..., layout.FLIP].isnan().any()
    if views[0] is BYOL_VIEWS.view_pipeline1:  # BYOL: view 1 always blurred, never solarized
        assert not params[0, :, layout.BLUR_SIGMA].isnan().any()
        assert params[0, :, layout.SOLARIZE_THRESHOLD].isnan().all()
        assert (~params[1, :, layout.SOLARIZE_THRESHOLD].isnan()).any()
    assert (~params[..., layout.GRAY_WEIGHTS].isnan().any(-1)).any()  # some view was grayscaled
    augmented = ViewAugmentPreprocessor()(device)['inputs']  # no normalization: the pixels as they are
    assert all(torch.equal(a, w.float()) for a, w in zip(augmented, worker['inputs']))  # pixel for pixel
    assert all(torch.equal(a.flipped, b.flipped) for a, b in zip(worker['data_samples'], device['data_samples']))


def test_a_flipped_view_is_flipped_on_the_device_and_flip_back_restores_it():
    """An asymmetric frame, the whole of it as both views: view 1 flipped, view 2 not."""
    frame = np.zeros((60, 80, 3), np.uint8)
    frame[10:30, 5:25] = (0, 0, 255)  # a red block in the top-left corner, BGR
    crop = IoUConstrainedPairCrop(size=(60, 80), scale=(1., 1.), ratio=(4 / 3, 4 / 3), interpolation='nearest')
    augment = PerViewAugment(transforms=[[dict(type='RandomFlip', prob=1.)], [dict(type='RandomFlip', prob=0.)]],
                             on_device=True)
    data = default_collate([pack(augment(crop(dict(img=frame))), nested=True)])
    assert data['data_samples'][0].pseudo_label.flipped.tolist() == [True, False]
    assert torch.equal(data['inputs'][0], data['inputs'][1])  # the workers left the pixels alone
    views = ViewAugmentPreprocessor()(data, training=True)['inputs']
    red = [view[0, 2] > 200 for view in views]  # (H, W) of each view
    assert red[0][10:30, 55:75].all() and not red[0][:, :55].any()  # flipped: columns 80 - 25 .. 80 - 5
    assert red[1][10:30, 5:25].all() and not red[1][:, 25:].any()
    flipped = torch.stack([s.pseudo_label.flipped for s in data['data_samples']], 1)  # (2, B)
    assert torch.equal(flip_back(views[0], flipped[0]), views[1])  # what the 2D branch relies on


@pytest.mark.parametrize('nested', [False, True], ids=['on-the-sample', 'in-pseudo_label'])
def test_view_augment_is_read_on_the_sample_or_in_its_pseudo_label(nested):
    views = [BYOL_VIEWS.view_pipeline1, BYOL_VIEWS.view_pipeline2]
    drawn = batch_through(views, on_device=True, seeds=range(4))
    repacked = dict(drawn, data_samples=[
        BaseDataElement(pseudo_label=sample) if nested else sample for sample in drawn['data_samples']])
    expected = ViewAugmentPreprocessor()(drawn)['inputs']
    got = ViewAugmentPreprocessor()(repacked)
    assert list(got) == ['inputs', 'data_samples'] and len(got['data_samples']) == 4  # samples passed on
    assert all(torch.equal(a, b) for a, b in zip(got['inputs'], expected))


def test_normalization_by_hand_and_batches_without_view_augment_pass_unaugmented():
    """BGR (10, 20, 30) -> RGB (30, 20, 10) -> ((30 - 1) / 2, (20 - 2) / 2, (10 - 3) / 2); a batch with no
    ``view_augment`` (mmselfsup's own MultiView pipelines) or no samples is only normalized."""
    view = torch.tensor([10, 20, 30], dtype=torch.uint8).view(1, 3, 1, 1).expand(2, 3, 4, 4)  # (B, 3, H, W)
    preprocessor = ViewAugmentPreprocessor(mean=(1., 2., 3.), std=(2., 2., 2.), bgr_to_rgb=True)
    expected = torch.tensor([14.5, 9., 3.5]).view(1, 3, 1, 1).expand(2, 3, 4, 4)
    for samples in (None, [BaseDataElement(flipped=torch.tensor([True, False]))] * 2):
        out = preprocessor(dict(inputs=[view, view], data_samples=samples))
        assert all(v.dtype == torch.float32 and torch.equal(v, expected) for v in out['inputs'])
        assert (out['data_samples'] is None if samples is None else  # passed on (moved to the device)
                [s.flipped.tolist() for s in out['data_samples']] == [[True, False]] * 2)
