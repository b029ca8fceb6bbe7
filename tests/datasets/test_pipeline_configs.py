import glob
import os

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, default_collate

from mmselfsup.registry import DATASETS

from multisiam_mm.structures import box_iou
from multisiam_mm.views import parameter_layout as layout

from data_test_utils import DEMO_CAMVID, REPO, SHARED_CAMVID

BASES = os.path.join(REPO, 'configs', '_base_')


def dataset_cfg(name: str, pipeline: str = 'multisiam.py', **overrides) -> dict:
    """Dataset base ``name`` with the ``pipeline`` base's train_pipeline, as a top-level config puts them."""
    cfg = Config.fromfile(os.path.join(BASES, 'pipelines', pipeline))
    dataset = Config.fromfile(os.path.join(BASES, 'datasets', name)).train_dataloader.dataset.to_dict()
    dataset.update(pipeline=cfg.train_pipeline, **overrides)
    return dataset


DATASET_BASES = sorted(path for path in glob.glob(os.path.join(BASES, 'datasets', '*.py'))
                       if not path.endswith('loader.py'))  # what they inherit


@pytest.mark.parametrize('path', DATASET_BASES, ids=os.path.basename)
def test_every_dataset_base_merges_with_a_pipeline_and_the_runtime(path, tmp_path):
    # a top-level config lists a dataset base next to a pipeline base and default_runtime.py (default_scope,
    # custom_imports): mmengine refuses duplicate keys among bases, so the three must not share any
    entry = tmp_path / 'entry.py'
    entry.write_text(f"_base_ = [{path!r}, {os.path.join(BASES, 'pipelines', 'multisiam.py')!r}, "
                     f"{os.path.join(BASES, 'default_runtime.py')!r}]\n"
                     "train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline}}))\n")
    cfg = Config.fromfile(str(entry))
    assert cfg.default_scope == 'mmselfsup'
    loader = cfg.train_dataloader
    assert (loader.batch_size, loader.num_workers) == (32, 4)
    assert loader.sampler == dict(type='SeededSampler', shuffle=True)
    assert loader.collate_fn == dict(type='default_collate')
    assert 'type' in loader.dataset and 'data_root' in loader.dataset
    Compose(loader.dataset.pipeline)  # every type resolves in the mmselfsup registries


@pytest.mark.parametrize('path', sorted(glob.glob(os.path.join(BASES, 'pipelines', '*.py'))), ids=os.path.basename)
def test_every_pipeline_base_builds(path):
    cfg = Config.fromfile(path)
    Compose(cfg.train_pipeline if 'train_pipeline' in cfg else cfg.view_pipeline1 + cfg.view_pipeline2)


def test_packed_sample_carries_the_documented_fields():
    dataset = DATASETS.build(dataset_cfg('camvid.py', data_root=DEMO_CAMVID + '/'))
    assert len(dataset) == 31
    for idx in range(4):
        sample = dataset[idx]
        views = sample['inputs']
        assert len(views) == 2
        assert all(v.dtype == torch.uint8 and v.shape == (3, 224, 224) for v in views)
        data_sample = sample['data_samples']
        boxes = data_sample.crop_boxes
        flipped = data_sample.flipped
        assert boxes.dtype == torch.float32 and boxes.shape == (2, 4)
        assert flipped.dtype == torch.bool and flipped.shape == (2,)
        view_augment = data_sample.view_augment  # drawn here, applied on the device
        assert view_augment.dtype == torch.float64 and view_augment.shape == (2, layout.NUM_PARAMS)
        assert torch.equal(view_augment[:, layout.FLIP] > 0, flipped)
        assert data_sample.ori_shape == (360, 480)
        assert data_sample.img_path == dataset.get_data_info(idx)['img_path']
        assert torch.all(boxes[:, :2] >= 0) and torch.all(boxes[:, 2] <= 480) and torch.all(boxes[:, 3] <= 360)
        assert box_iou(boxes[0], boxes[1]) > 0.5


def test_batch_collates_for_the_model():
    dataset = DATASETS.build(dataset_cfg('camvid.py', data_root=DEMO_CAMVID + '/'))
    batch = default_collate([dataset[0], dataset[1], dataset[2]])
    assert [v.shape for v in batch['inputs']] == [(3, 3, 224, 224)] * 2
    boxes = torch.stack([s.crop_boxes for s in batch['data_samples']])  # (B, 2, 4)
    assert boxes.shape == (3, 2, 4)


def test_byols_pipeline_is_the_multisiam_pipeline_without_the_iou_constraint():
    byol, multisiam = dataset_cfg('camvid.py', 'byol.py')['pipeline'], dataset_cfg('camvid.py')['pipeline']
    assert byol[0] == dict(multisiam[0], iou_threshold=None) and byol[1:] == multisiam[1:]
    dataset = DATASETS.build(dataset_cfg('camvid.py', 'byol.py', data_root=DEMO_CAMVID + '/'))
    ious = [box_iou(*dataset[i]['data_samples'].crop_boxes) for i in range(12)]
    assert [v.shape for v in dataset[0]['inputs']] == [(3, 224, 224)] * 2
    assert min(ious) <= 0.5  # independent crops: some pairs overlap little (12 pairs: P(none) ~ 0.3^12)


@pytest.mark.skipif(not os.path.isdir(SHARED_CAMVID), reason='needs ../shared/data/camvid')
def test_shared_camvid_runs_without_error():
    # every 6th frame of train and val (79 of 468) to stay fast; tools/analysis runs them all
    for split in ('train', 'val'):
        dataset = DATASETS.build(dataset_cfg('camvid.py', data_root=SHARED_CAMVID + '/',
                                             data_prefix=dict(img_path=f'{split}/')))
        for idx in range(0, len(dataset), 6):
            boxes = dataset[idx]['data_samples'].crop_boxes
            assert box_iou(boxes[0], boxes[1]) > 0.5
    assert np.isfinite(boxes.numpy()).all()
