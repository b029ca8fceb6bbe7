"""What the speed scripts share: BYOL and MultiSiam training steps on synthetic batches, their clocks
and timers, JPEG test images, and pairs/s of the model, the pipeline and both.

Used by ``lab/benchmark_step.py`` (step cost, MultiSiam vs BYOL), ``benchmark_throughput.py``
(pairs/s), ``benchmark_pipeline.py`` (the data pipeline alone) and the GPU check's
``lab/device/model_throughput.py`` and ``pipeline_check.py``.

The models and the pipeline come from the repo's configs (:data:`CONFIGS`, :data:`PIPELINE_CONFIG`); every
measurement takes a :class:`SpeedSettings`. Under either host (``SpeedSettings.host``; ``lab/benchmark_hosts.py``
compares them): the host's configs (``configs/mmpretrain/`` for MMPretrain), its scope, its LARS.
"""
import logging
import math
import os
import statistics
import time
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub, MMLogger
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import OPTIMIZERS, init_default_scope
from mmengine.runner import Runner
from mmengine.structures import BaseDataElement
from torch import Tensor, nn
from torch.utils.flop_counter import FlopCounterMode

from multisiam_mm.datasets.unlabeled_image_list import IMG_EXTENSIONS, scan_images
from multisiam_mm.registry import build_model as build_in_host_scope, host_scope, import_host_part

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class SpeedSettings:
    """What a speed measurement is made of (the scripts' command-line options of the same names)."""
    depth: int = 50  # ResNet depth of both models
    batch: int = 128  # pairs per step
    size: int = 224  # crop size of both views
    steps: int = 20  # timed steps per measurement
    warmup: int = 3  # untimed steps first
    workers: int = 16  # DataLoader worker processes
    amp: bool = False  # autocast: float16 on CUDA, bfloat16 on CPU
    channels_last: bool = False
    multisiam_options: dict = field(default_factory=dict)  # config overrides of the MultiSiam model
    device: str = 'cpu'
    host: str = 'mmselfsup'  # whose configs, scope and LARS (run in that host's environment)

    @classmethod
    def from_args(cls, args) -> 'SpeedSettings':
        """The settings a script's parsed options name (options of other names are left out)."""
        return cls(**{name: getattr(args, name) for name in cls.__dataclass_fields__ if hasattr(args, name)})


#: the two models compared, relative to the repo root
CONFIGS = {'BYOL': 'configs/baselines/byol_r50_waymo.py', 'MultiSiam': 'configs/multisiam_r50_waymo.py'}
#: the shipped two-view pipeline, relative to the repo root
PIPELINE_CONFIG = 'configs/_base_/pipelines/multisiam.py'
#: output channels of the ResNet backbone by depth (the projectors' input)
WIDTH = {18: 512, 34: 512, 50: 2048, 101: 2048}


def host_config_path(path: str, host: str = 'mmselfsup') -> Path:
    """The file of a repo config under ``host``, ``path`` relative to the repo root: under MMPretrain its
    twin in ``configs/mmpretrain/`` (the same config with the host's lines), which may not exist."""
    if host == 'mmpretrain':
        path = str(Path('configs/mmpretrain') / Path(path).relative_to('configs'))
    return ROOT / path


def repo_config(path: str, host: str = 'mmselfsup') -> Config:
    """A config of the repo under ``host`` (:func:`host_config_path`)."""
    return Config.fromfile(str(host_config_path(path, host)))


def init_step_benchmark(seed: int = 0, host: str = 'mmselfsup') -> None:
    """What a training step outside a runner needs: the host's part and default scope, ``max_iters`` in the
    message hub (the EMA's cosine momentum reads it) and the seed."""
    import_host_part(host)
    init_default_scope(host)
    MessageHub.get_current_instance().update_info('max_iters', 10_000)
    torch.manual_seed(seed)


class Clock:
    """Seconds on the process CPU clock (CPU) or the wall clock after a device sync (CUDA)."""

    def __init__(self, device: str) -> None:
        self.cuda = device.startswith('cuda')

    def __call__(self) -> float:
        if self.cuda:
            torch.cuda.synchronize()
            return time.perf_counter()
        return time.process_time()

    @property
    def name(self) -> str:
        return 'wall clock (CUDA synchronized)' if self.cuda else 'process CPU clock'


def wall(device: str) -> float:
    """The wall clock, after a device sync on CUDA (DataLoader workers run in parallel processes, which a
    process clock would not count)."""
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    return time.perf_counter()


def build_model(name: str, depth: int, device: str, options: Optional[dict] = None,
                host: str = 'mmselfsup') -> nn.Module:
    """BYOL or MultiSiam from the repo's config with ``options`` merged, at ``depth``, in one process (SyncBN
    as BN), under ``host``."""
    cfg = repo_config(CONFIGS[name], host)
    cfg.merge_from_dict(options or {})
    cfg = cfg.model
    cfg.backbone.depth = depth
    width = WIDTH[depth]
    if name == 'BYOL':
        cfg.neck.in_channels = width
    else:
        cfg.neck.projector_1d.in_channels = width
        cfg.neck.projector_2d.in_channels = width
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)  # init_weights reports every parameter
    try:
        model = revert_sync_batchnorm(build_in_host_scope(cfg))
        model.init_weights()
    finally:
        logger.setLevel(level)
    return model.to(device).train()


def host_lars(model: nn.Module) -> torch.optim.Optimizer:
    """The host's LARS (:func:`~multisiam_mm.registry.host_scope`) over ``model``'s parameters: lr 0.1,
    momentum 0.9, weight decay 1e-5."""
    with OPTIMIZERS.switch_scope_and_registry(host_scope()) as registry:
        return registry.build(dict(type='LARS', params=model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-5))


def build_trainable(name: str, settings: SpeedSettings) -> tuple[nn.Module, torch.optim.Optimizer]:
    """``name``'s model as ``settings`` say (depth, device, MultiSiam options, layout) and its LARS."""
    options = settings.multisiam_options if name == 'MultiSiam' else None
    model = build_model(name, settings.depth, settings.device, options, settings.host)
    if settings.channels_last:
        model = model.to(memory_format=torch.channels_last)
    return model, host_lars(model)


def fake_batch(batch: int, size: int, device: str) -> tuple[list[Tensor], list[BaseDataElement]]:
    """Two uint8 views and pair geometry as the data pipeline packs them (``PackViews``; IoU of the boxes: 0.6)."""
    gen = torch.Generator().manual_seed(0)
    inputs = [torch.randint(0, 256, (batch, 3, size, size), dtype=torch.uint8, generator=gen) for _ in range(2)]
    samples = [BaseDataElement(crop_boxes=torch.tensor([[0.0, 0, 400, 400], [100.0, 50, 500, 450]]),
                               flipped=torch.tensor([True, False])) for _ in range(batch)]
    return [x.to(device) for x in inputs], samples


def components(model: nn.Module) -> dict[str, Optional[nn.Module]]:
    """The named parts of a BYOL or MultiSiam model whose forward time is measured."""
    target_backbone, target_neck = model.target_net.module
    if not hasattr(model, 'head_2d'):  # BYOL: the neck is the 1D projector
        return {'backbone (online)': model.backbone, 'backbone (target)': target_backbone,
                '1D projector (online)': model.neck, '1D projector (target)': target_neck,
                '1D predictor + loss': model.head}
    head_2d = model.head_2d
    return {
        'backbone (online)': model.backbone,
        'backbone (target)': target_backbone,
        '1D projector (online)': model.neck.projector_1d,
        '1D projector (target)': target_neck.projector_1d,
        '1D predictor + loss': model.head,
        '2D projector (online)': model.neck.projector_2d,
        '2D projector (target)': target_neck.projector_2d,
        'alignment': model.alignment,
        '2D predictor': head_2d.predictor,
        'self-attention': head_2d.attention,
        'K-means targets': head_2d.clustering,
        '2D loss': head_2d.loss,
    }


class PhaseTimer:
    """Accumulates a model's step time per phase: forward per component (hooks), EMA update, backward,
    optimizer. Also keeps the last inputs each component saw (``benchmark_step.py``'s component costs)."""

    def __init__(self, model: nn.Module, clock: Clock, hooks: bool = True) -> None:
        self.clock = clock
        self.totals: dict[str, float] = defaultdict(float)
        self.inputs: dict[str, tuple] = {}
        self._starts: dict[str, float] = {}
        if not hooks:
            return
        for name, module in components(model).items():
            if module is not None:
                module.register_forward_pre_hook(self._start(name))
                module.register_forward_hook(self._stop(name))
        ema = model.target_net
        update = ema.update_parameters

        def timed_update(source: nn.Module) -> None:
            with self.phase('EMA update'):
                update(source)
        ema.update_parameters = timed_update  # instance attribute: instrumentation of this process only

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Add the time spent inside the block to ``name``."""
        start = self.clock()
        try:
            yield
        finally:
            self.totals[name] += self.clock() - start

    def _start(self, name: str) -> Callable:
        def hook(module, args):
            self.inputs[name] = args
            self._starts[name] = self.clock()
        return hook

    def _stop(self, name: str) -> Callable:
        def hook(module, args, output):
            self.totals[name] += self.clock() - self._starts[name]
        return hook


def preprocess(model: nn.Module, data: tuple) -> tuple[list, list]:
    """``(views, samples)`` after the model's data preprocessor (``ViewAugmentPreprocessor``: augmented on the
    device, normalized), which returns them as ``dict(inputs=..., data_samples=...)``."""
    processed = model.data_preprocessor(dict(inputs=data[0], data_samples=data[1]), True)
    return processed['inputs'], processed['data_samples']


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, data: tuple, settings: SpeedSettings,
               timer: PhaseTimer) -> None:
    """One full step: preprocess, forward (with the EMA update), backward, LARS update."""
    with timer.phase('preprocess'):
        inputs, samples = preprocess(model, data)
        if settings.channels_last:
            inputs = [x.contiguous(memory_format=torch.channels_last) for x in inputs]
    dtype = torch.bfloat16 if settings.device == 'cpu' else torch.float16
    with torch.autocast(settings.device.split(':')[0], dtype=dtype) if settings.amp else nullcontext():
        with timer.phase('forward (all)'):
            losses = model.loss(inputs, samples)
    with timer.phase('backward'):
        sum(losses.values()).backward()
    with timer.phase('optimizer (LARS)'):
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)


def count_macs(models: dict[str, nn.Module], data: tuple, settings: SpeedSettings) -> tuple[dict, dict]:
    """Multiply-accumulates per pair of a whole step (forward + backward) of each model, and of
    MultiSiam's forward per component."""
    step_macs, parts = {}, {}
    for name, model in models.items():
        inputs, samples = preprocess(model, data)
        with FlopCounterMode(display=False) as counter:
            sum(model.loss(inputs, samples).values()).backward()
        model.zero_grad(set_to_none=True)
        step_macs[name] = counter.get_total_flops() / 2 / settings.batch
    model = models['MultiSiam']
    named = {module: label for label, module in components(model).items() if module is not None}
    counter = FlopCounterMode(display=False)
    totals = defaultdict(float)
    hooks = []
    for module, label in named.items():
        hooks.append(module.register_forward_pre_hook(
            lambda m, a, label=label: totals.__setitem__('_start_' + label, counter.get_total_flops())))
        hooks.append(module.register_forward_hook(
            lambda m, a, o, label=label: totals.__setitem__(
                label, totals[label] + counter.get_total_flops() - totals['_start_' + label])))
    inputs, samples = preprocess(model, data)
    with counter, torch.no_grad():
        model.loss(inputs, samples)
    for hook in hooks:
        hook.remove()
    parts = {label: macs / 2 / settings.batch for label, macs in totals.items() if not label.startswith('_start_')}
    return step_macs, parts


# ---- JPEG test images ------------------------------------------------------------------------------

def frame_paths(img_dir: str, num_images: int) -> list:
    """The first ``num_images`` images in ``img_dir``."""
    names = scan_images(img_dir, IMG_EXTENSIONS)
    if not names:
        raise FileNotFoundError(f'no image in {img_dir}; pass --img-dir with a folder of frames')
    return [os.path.join(img_dir, name) for name in names[:num_images]]


def write_jpegs(images: list, folder: str, prefix: str, quality: int = 95) -> list:
    """``images`` (BGR arrays) as JPEGs ``folder/prefix_<i>.jpg`` of ``quality``; their paths."""
    paths = [os.path.join(folder, f'{prefix}_{i}.jpg') for i in range(len(images))]
    for path, image in zip(paths, images):
        cv2.imwrite(path, image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return paths


def mosaics(frames: list, size: tuple) -> list:
    """Per frame, a ``size`` (w, h) mosaic of native frames from it on: as sharp per pixel as the frames."""
    height, width = frames[0].shape[:2]
    rows, cols = math.ceil(size[1] / height), math.ceil(size[0] / width)
    out = []
    for i in range(len(frames)):
        tiles = [[cv2.resize(frames[(i + r * cols + c) % len(frames)], (width, height)) for c in range(cols)]
                 for r in range(rows)]
        out.append(np.concatenate([np.concatenate(row, axis=1) for row in tiles], axis=0)[:size[1], :size[0]])
    return out


# ---- pairs per second: model, pipeline, end to end -------------------------------------------------

def build_loader(folder: str, settings: SpeedSettings, worker_augment: bool = False):
    """The shipped two-view pipeline over the JPEGs in ``folder``, batched and collated as in training.

    As shipped, workers decode and crop and the model's preprocessor augments on the device;
    ``worker_augment`` runs BYOL's per-view augmentation in the workers instead (``on_device=False``).
    """
    pipeline = repo_config(PIPELINE_CONFIG).train_pipeline
    pipeline[0]['size'] = settings.size
    pipeline[1]['on_device'] = not worker_augment
    return Runner.build_dataloader(dict(
        batch_size=settings.batch, num_workers=settings.workers, persistent_workers=settings.workers > 0,
        pin_memory=settings.device.startswith('cuda'), drop_last=True,
        sampler=dict(type='InfiniteSampler', shuffle=True, seed=0),
        collate_fn=dict(type='default_collate'),
        dataset=dict(type='UnlabeledImageList', data_root=folder, pipeline=pipeline)))


def steps_per_second(step, settings: SpeedSettings) -> float:
    """Median rate of ``step()`` calls after ``settings.warmup`` untimed ones."""
    for _ in range(settings.warmup):
        step()
    times = []
    for _ in range(settings.steps):
        start = wall(settings.device)
        step()
        times.append(wall(settings.device) - start)
    return 1.0 / statistics.median(times)


def model_step(name: str, settings: SpeedSettings):
    """A function running one training step of ``name``'s model on the batch it is given."""
    model, optimizer = build_trainable(name, settings)
    timer = PhaseTimer(model, Clock(settings.device), hooks=False)

    def run(inputs, samples) -> None:
        inputs = [x.to(settings.device, non_blocking=True) for x in inputs]
        train_step(model, optimizer, (inputs, samples), settings, timer)
    return run


#: the two places the views' augmentation can run: the training device (shipped) or the DataLoader workers
AUGMENT_PATHS = {'device augments': False, 'workers augment': True}


def measure_throughput(settings: SpeedSettings, folder: str) -> dict:
    """Pairs per second of BYOL and MultiSiam alone (one fixed batch on the device), and for each place of
    the augmentation (:data:`AUGMENT_PATHS`) of the pipeline alone over the JPEGs in ``folder``
    (``settings.workers`` processes) and of MultiSiam fed by it (its preprocessor augmenting on the device
    when the workers did not).

    """
    rates = {}
    data = fake_batch(settings.batch, settings.size, settings.device)
    steps = {name: model_step(name, settings) for name in ('BYOL', 'MultiSiam')}
    for name, step in steps.items():
        rates[f'model only: {name}'] = settings.batch * steps_per_second(lambda: step(*data), settings)
    for path, worker_augment in AUGMENT_PATHS.items():
        loader = iter(build_loader(folder, settings, worker_augment))
        rates[f'pipeline only ({path})'] = settings.batch * steps_per_second(lambda: next(loader), settings)

        def fed_step() -> None:
            batch = next(loader)
            steps['MultiSiam'](batch['inputs'], batch['data_samples'])
        rates[f'end to end: MultiSiam ({path})'] = settings.batch * steps_per_second(fed_step, settings)
        loader = None  # its workers end before the next path's start
    return rates
