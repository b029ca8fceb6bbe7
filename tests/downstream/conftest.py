"""Fixtures of the downstream benchmark tests: pre-training checkpoints and tiny datasets in real layouts.

The checkpoints come from :func:`build_pretrain_model`; switching the benchmarks' tests to MultiSiam
checkpoints is a one-line change there. Every tensor is filled with seeded random values (BN statistics
included), so a tensor left at its default init can never equal the checkpoint's by coincidence, and the
EMA target differs from the online backbone.
"""
import json
from pathlib import Path
from types import ModuleType
from typing import Callable, Optional

import numpy as np
import pytest
import torch
from torch import nn

import multisiam_mm  # noqa: F401  registers, applies compat (HistoryBuffer in message_hub loads)
import multisiam_mm.downstream.segmentation  # noqa: F401
from multisiam_mm.apis import adapt_to_cpu
from tool_scripts import load_tool


@pytest.fixture(autouse=True)
def mmselfsup_scope_afterwards():
    """A downstream run leaves mmseg's or mmdet's default scope current; the tests after these build the
    plugin's components by name, in mmselfsup's scope."""
    yield
    from mmengine.registry import init_default_scope
    init_default_scope('mmselfsup')

REPO = Path(__file__).resolve().parents[2]
BENCHMARK_CONFIGS = REPO / 'configs' / 'benchmarks'


# ------------------------------------------------------------------ pre-training checkpoints
def build_pretrain_model(depth: int) -> nn.Module:
    """The MultiSiam model whose checkpoints the benchmarks consume, with narrow projectors.

    Its state dict is a MultiSiam checkpoint's: ``backbone.*`` (mmselfsup ResNet, plain stem), ``neck.*``,
    ``head.*``, ``head_2d.*`` and ``target_net.module.0.*`` / ``target_net.module.1.*`` (EMA copies).
    """
    import multisiam_mm  # noqa: F401  (registers MultiSiam)
    from mmselfsup.registry import MODELS

    feat = 512 if depth < 50 else 2048
    return MODELS.build(dict(
        _scope_='mmselfsup',
        type='MultiSiam',
        backbone=dict(type='ResNet', depth=depth, out_indices=[4], norm_cfg=dict(type='BN')),
        neck=dict(
            type='MultiSiamNeck',
            projector_1d=dict(type='NonLinearNeck', in_channels=feat, hid_channels=256, out_channels=64,
                              num_layers=2, with_bias=True, with_last_bn=False, with_avg_pool=True,
                              norm_cfg=dict(type='BN1d')),
            projector_2d=dict(type='ConvMLPNeck', in_channels=feat, hid_channels=256, out_channels=64,
                              norm_cfg=dict(type='BN'))),
        head=dict(type='LatentPredictHead', loss=dict(type='CosineSimilarityLoss'),
                  predictor=dict(type='NonLinearNeck', in_channels=64, hid_channels=256, out_channels=64,
                                 num_layers=2, with_bias=True, with_last_bn=False, with_avg_pool=False,
                                 norm_cfg=dict(type='BN1d'))),
        alignment=dict(type='OffsetAlignment'),
        head_2d=dict(
            type='ClusterConsistencyHead',
            predictor=dict(type='ConvMLPNeck', in_channels=66, hid_channels=256, out_channels=64,
                           norm_cfg=dict(type='BN')),
            attention=dict(type='PixelSelfAttention'),
            clustering=dict(type='ClusterTargets'),
            loss=dict(type='ClusterConsistencyLoss'))))


def randomized_state_dict(model: nn.Module, seed: int) -> dict[str, torch.Tensor]:
    """The model's state dict with every floating tensor redrawn (variances kept positive)."""
    generator = torch.Generator().manual_seed(seed)
    state = {}
    for key, value in model.state_dict().items():
        if value.is_floating_point():
            value = torch.randn(value.shape, generator=generator) * 0.05
            if key.endswith('running_var'):
                value = value.abs() + 0.5
        state[key] = value.clone()
    return state


def write_pretrain_checkpoint(path: Path, depth: int, seed: int = 0) -> Path:
    """A MultiSiam-layout mmengine checkpoint whose ``message_hub`` is a real MessageHub state (it pickles
    ``HistoryBuffer`` and numpy values, as every checkpoint of mmengine's Runner does)."""
    from mmengine.logging import MessageHub

    state = randomized_state_dict(build_pretrain_model(depth), seed)
    hub = MessageHub.get_instance(f'pretrain_fixture_{depth}_{seed}')
    for loss in (1.5, 1.2):
        hub.update_scalar('train/loss', np.float64(loss))
    hub.update_info('epoch', 1)
    hub.update_info('iter', 2)
    torch.save({'meta': {'epoch': 1, 'iter': 2, 'seed': seed}, 'state_dict': state,
                'message_hub': hub.state_dict()}, path)
    return path


@pytest.fixture(scope='session')
def pretrain_checkpoint(tmp_path_factory) -> str:
    """A ResNet-50 pre-training checkpoint (the paper's transfer backbone)."""
    return str(write_pretrain_checkpoint(tmp_path_factory.mktemp('ckpt') / 'pretrain_r50.pth', depth=50))


@pytest.fixture(scope='session')
def pretrain_checkpoint_r18(tmp_path_factory) -> str:
    """A ResNet-18 pre-training checkpoint (the CamVid benchmark's backbone)."""
    path = tmp_path_factory.mktemp('ckpt') / 'pretrain_r18.pth'
    return str(write_pretrain_checkpoint(path, depth=18, seed=1))


def checkpoint_state(path: str) -> dict[str, torch.Tensor]:
    return torch.load(path, map_location='cpu', weights_only=True)['state_dict']


# ------------------------------------------------------------------ tiny images and annotations
def write_image(path: Path, width: int, height: int, seed: int) -> np.ndarray:
    """A random RGB image written as PNG or JPEG (by suffix); returns the array."""
    import cv2

    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)
    return image


def write_label(path: Path, width: int, height: int, num_classes: int, seed: int,
                ignore: int = 255) -> np.ndarray:
    """A single-channel label PNG of horizontal class bands plus an ignored strip."""
    import cv2

    rows = np.arange(height)[:, None].repeat(width, axis=1)
    label = ((rows * num_classes // height + seed) % num_classes).astype(np.uint8)
    label[:, :2] = ignore
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), label)
    return label


def instance_boxes(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """Two boxes ``(x, y, w, h)`` of clearly valid sizes inside an image."""
    return [(width // 8, height // 4, width // 3, height // 2),
            (width // 2, height // 3, width // 3, height // 2)]


def coco_json(images: list[dict], categories: list[dict], rle: bool = False) -> dict:
    """COCO instance annotations with two objects per image (polygons, or RLE like the BDD100K toolkit)."""
    from pycocotools import mask as mask_utils

    annotations = []
    for image in images:
        for index, (x, y, w, h) in enumerate(instance_boxes(image['width'], image['height'])):
            if rle:
                mask = np.zeros((image['height'], image['width']), dtype=np.uint8, order='F')
                mask[y:y + h, x:x + w] = 1
                encoded = mask_utils.encode(mask)
                segmentation = {'size': encoded['size'], 'counts': encoded['counts'].decode('ascii')}
            else:
                segmentation = [[x, y, x + w, y, x + w, y + h, x, y + h]]
            annotations.append(dict(
                id=len(annotations) + 1, image_id=image['id'], category_id=categories[index]['id'],
                bbox=[x, y, w, h], area=w * h, iscrowd=0, segmentation=segmentation))
    return dict(images=images, annotations=annotations, categories=categories)


def write_json(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content))


# ------------------------------------------------------------------ datasets in their real layouts
CITYSCAPES_THING_IDS = dict(person=24, rider=25, car=26, truck=27, bus=28, train=31, motorcycle=32,
                            bicycle=33)  # the label ids that mmdet's Cityscapes converter writes


@pytest.fixture(scope='session')
def cityscapes_root(tmp_path_factory) -> str:
    """leftImg8bit/<split>/<city>/*_leftImg8bit.png, gtFine/.../*_gtFine_labelTrainIds.png, and the COCO
    json of mmdet's Cityscapes converter (annotations/instancesonly_filtered_gtFine_<split>.json)."""
    root = tmp_path_factory.mktemp('cityscapes')
    width, height = 128, 64
    categories = [dict(id=cat_id, name=name) for name, cat_id in CITYSCAPES_THING_IDS.items()]
    for split, cities in (('train', ['aachen', 'bochum']), ('val', ['frankfurt'])):
        images = []
        for index, city in enumerate(cities):
            stem = f'{city}_000000_000019'
            write_image(root / 'leftImg8bit' / split / city / f'{stem}_leftImg8bit.png', width, height, index)
            label_path = root / 'gtFine' / split / city / f'{stem}_gtFine_labelTrainIds.png'
            write_label(label_path, width, height, 19, index)
            images.append(dict(id=index + 1, file_name=f'{city}/{stem}_leftImg8bit.png', width=width,
                               height=height, seg_file_name=f'{stem}_gtFine_instanceIds.png'))
        write_json(root / 'annotations' / f'instancesonly_filtered_gtFine_{split}.json',
                   coco_json(images, categories))
    return str(root)


BDD100K_INSTANCE_CLASSES = ('pedestrian', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle')


@pytest.fixture(scope='session')
def bdd100k_root(tmp_path_factory) -> str:
    """images/10k/<split>/*.jpg, labels/sem_seg/masks/<split>/*.png and the BDD100K toolkit's COCO json
    (jsons/ins_seg_<split>_cocofmt.json, RLE masks)."""
    root = tmp_path_factory.mktemp('bdd100k')
    width, height = 128, 72
    categories = [dict(id=i + 1, name=name) for i, name in enumerate(BDD100K_INSTANCE_CLASSES)]
    splits = (('train', ['0a0a0b1a-7c39d841', '0a0b16e2-93f8c456']), ('val', ['7d2f7975-e0c1c5a7']))
    for split, stems in splits:
        images = []
        for index, stem in enumerate(stems):
            write_image(root / 'images' / '10k' / split / f'{stem}.jpg', width, height, index)
            label_path = root / 'labels' / 'sem_seg' / 'masks' / split / f'{stem}.png'
            write_label(label_path, width, height, 19, index)
            images.append(dict(id=index + 1, file_name=f'{stem}.jpg', width=width, height=height))
        write_json(root / 'jsons' / f'ins_seg_{split}_cocofmt.json', coco_json(images, categories, rle=True))
    return str(root)


VOC_XML = """<annotation><folder>VOC{year}</folder><filename>{stem}.jpg</filename>
<size><width>{width}</width><height>{height}</height><depth>3</depth></size>{objects}</annotation>"""
VOC_OBJECT = """<object><name>{name}</name><pose>Unspecified</pose><truncated>0</truncated>
<difficult>0</difficult><bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox>
</object>"""


@pytest.fixture(scope='session')
def voc_root(tmp_path_factory) -> str:
    """VOCdevkit/VOC2007 (trainval + test) and VOC2012 (trainval): JPEGImages, Annotations/*.xml,
    ImageSets/Main/<split>.txt."""
    root = tmp_path_factory.mktemp('VOCdevkit')
    width, height = 128, 96
    splits = {2007: {'trainval': ['000005'], 'test': ['000001']}, 2012: {'trainval': ['2008_000008']}}
    for year, sets in splits.items():
        year_dir = root / f'VOC{year}'
        for split, stems in sets.items():
            for index, stem in enumerate(stems):
                write_image(year_dir / 'JPEGImages' / f'{stem}.jpg', width, height, index + year)
                objects = ''.join(
                    VOC_OBJECT.format(name=name, x1=x + 1, y1=y + 1, x2=x + w, y2=y + h)
                    for name, (x, y, w, h) in zip(('car', 'person'), instance_boxes(width, height)))
                (year_dir / 'Annotations').mkdir(parents=True, exist_ok=True)
                (year_dir / 'Annotations' / f'{stem}.xml').write_text(
                    VOC_XML.format(year=year, stem=stem, width=width, height=height, objects=objects))
            (year_dir / 'ImageSets' / 'Main').mkdir(parents=True, exist_ok=True)
            (year_dir / 'ImageSets' / 'Main' / f'{split}.txt').write_text('\n'.join(stems) + '\n')
    return str(root)


@pytest.fixture(scope='session')
def coco_root(tmp_path_factory) -> str:
    """train2017/, val2017/ and annotations/instances_<split>2017.json with COCO's 80 category names."""
    from mmdet.datasets import CocoDataset

    root = tmp_path_factory.mktemp('coco')
    width, height = 128, 96
    categories = [dict(id=i + 1, name=name) for i, name in enumerate(CocoDataset.METAINFO['classes'])]
    for split, count in (('train2017', 2), ('val2017', 1)):
        images = []
        for index in range(count):
            file_name = f'{index + 1:012d}.jpg'
            write_image(root / split / file_name, width, height, index)
            images.append(dict(id=index + 1, file_name=file_name, width=width, height=height))
        write_json(root / 'annotations' / f'instances_{split}.json', coco_json(images, categories))
    return str(root)


# ------------------------------------------------------------------ running a config for one iteration
RESIZE_TYPES = ('Resize', 'RandomResize', 'RandomChoiceResize')


def shrink_pipelines(cfg, scale: tuple[int, int], crop: Optional[tuple[int, int]] = None) -> None:
    """Resize everything to ``scale`` (w, h) and crop to ``crop`` (h, w): tiny inputs for CPU tests."""
    def visit(node) -> None:
        if isinstance(node, dict):
            kind = node.get('type')
            if kind == 'Resize':
                node.pop('scale_factor', None)
                node['scale'] = scale
            elif kind == 'RandomResize':
                node['scale'] = scale
            elif kind == 'RandomChoiceResize':
                node['scales'] = [scale]
            elif kind == 'RandomCrop' and crop is not None:
                node['crop_size'] = crop
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        visit(cfg.get(key))
    preprocessor = cfg.model.get('data_preprocessor') or {}
    if crop is not None and preprocessor.get('size') is not None:
        preprocessor['size'] = crop
    cap_detector_rois(cfg.model.get('train_cfg'))
    cap_detector_rois(cfg.model.get('test_cfg'))


def cap_detector_rois(node, max_rois: int = 32) -> None:
    """Few proposals and sampled RoIs (a C4 head runs res5 on each) and no score threshold, so that an
    untrained detector still outputs boxes for the evaluator."""
    if isinstance(node, dict):
        for key in ('nms_pre', 'max_per_img', 'num'):
            if isinstance(node.get(key), int):
                node[key] = min(node[key], max_rois)
        if 'score_thr' in node:
            node['score_thr'] = 0.0
        for value in node.values():
            cap_detector_rois(value, max_rois)


def prepare_tiny_run(cfg, work_dir: Path) -> None:
    """One training iteration (or one epoch of one batch) and one validation pass, without workers."""
    cfg.work_dir = str(work_dir)
    cfg.launcher = 'none'
    if 'IterBased' in cfg.train_cfg.get('type', ''):
        cfg.train_cfg.max_iters = 1
    else:
        cfg.train_cfg.max_epochs = 1
    cfg.train_cfg.val_interval = 1
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[key].num_workers = 0
        cfg[key].persistent_workers = False
    cfg.default_hooks.checkpoint = None  # no checkpoint file of a 1-iteration run
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    cfg.log_level = 'WARNING'
    cfg.env_cfg.cudnn_benchmark = False
    if not torch.cuda.is_available():
        adapt_to_cpu(cfg)  # what train_downstream does (SyncBN runs as BN)


@pytest.fixture
def run_one_iteration(tmp_path, monkeypatch) -> Callable:
    """Train a prepared config for one iteration and validate; returns (runner, pretrained-check reports)."""
    from mmengine.runner import Runner

    import multisiam_mm.downstream.pretrained_check_hook as hook_module

    reports = []
    original = hook_module.check_pretrained_loaded

    def recording_check(model, raise_error=True):
        reports.extend(original(model, raise_error=raise_error))
        return reports

    monkeypatch.setattr(hook_module, 'check_pretrained_loaded', recording_check)

    def run(cfg):
        prepare_tiny_run(cfg, tmp_path / 'work_dir')
        runner = Runner.from_cfg(cfg)
        runner.train()
        return runner, reports

    return run


def check_backbone_loaded(reports, checkpoint: str, modules=('backbone',)) -> None:
    """The check hook ran and found every tensor of ``modules`` equal to the checkpoint's, stem included."""
    by_module = {report.module_name: report for report in reports}
    for name in modules:
        report = by_module[name]
        assert report.checkpoint == checkpoint and report.ok, report.describe_problems()
    stem = {'conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var'}
    assert stem <= set(by_module['backbone'].loaded)


@pytest.fixture
def assert_backbone_loaded() -> Callable:
    """``assert_backbone_loaded(reports, checkpoint, modules=('backbone',))``."""
    return check_backbone_loaded


@pytest.fixture(scope='session')
def train_downstream() -> ModuleType:
    """multisiam_mm.apis.train_downstream, the code of tools/benchmarks/train_downstream.py."""
    from multisiam_mm.apis import train_downstream
    return train_downstream


@pytest.fixture(scope='session')
def load_benchmark_config(train_downstream) -> Callable:
    """``load(relative_config, checkpoint=None, **cfg_options)``: multisiam_mm.apis.train_downstream's
    load_config on a config under configs/benchmarks (``data_root=...`` is applied as the variable)."""

    def load(relative_config: str, checkpoint: Optional[str] = None, random_init: bool = False,
             **cfg_options):
        return train_downstream.load_config(str(BENCHMARK_CONFIGS / relative_config), checkpoint=checkpoint,
                                            random_init=random_init, cfg_options=cfg_options)

    return load


@pytest.fixture(scope='session')
def shrink() -> Callable:
    """``shrink(cfg, scale=(w, h), crop=(h, w))``: tiny resize scales and crops for CPU runs."""
    return shrink_pipelines


@pytest.fixture(scope='session')
def pretrain_state(pretrain_checkpoint) -> dict[str, torch.Tensor]:
    """The R50 pre-training checkpoint's state dict."""
    return checkpoint_state(pretrain_checkpoint)


@pytest.fixture
def run_tool(monkeypatch) -> Callable:
    """``run_tool('tools/x.py', *argv)``: run a tool's ``main()`` in this process with ``argv``."""
    import sys

    def run(relative_script: str, *argv: str) -> None:
        monkeypatch.setattr(sys, 'argv', [relative_script, *argv])
        load_tool(relative_script).main()

    return run
