"""Fail fast on pre-training configs whose parts do not fit each other.

Each component checks its own arguments when it is built (the pair crop its ``iou_threshold``, the model
its ``loss_weight_1d`` and alignment, ``ClusterTargets`` its ``num_clusters``). What no single component
can see is checked here, from the config alone, before the Runner builds anything or reads an image: K
against the cells of the final map the crop size and backbone stride give, the crop against the stride,
the schedulers against ``max_epochs``, gradient accumulation against the EMA hook, the backbone's
depth against the widths its projectors take, checkpoint paths,
and a pipeline that leaves the augmentation to the device against the model's data preprocessor. Every
error names the config key, the allowed range and the value found.
"""
import math
import os.path as osp
from typing import Any, Iterator

from mmengine.config import Config

from ..models.algorithms.multisiam_base import MultiSiamBase
from ..models.clustering import check_num_clusters
from ..registry import MODELS, host_scope
from ..views import ViewAugmentPreprocessor

STEM_STRIDE = 4  # ResNet's stem: a stride-2 convolution and a stride-2 max pool
RESNET_STRIDES = (1, 2, 2, 2)  # mmcls ResNet's default stage strides: the final map at stride 32
PAIR_CROPS = ('IoUConstrainedPairCrop', 'LoadAndPairCrop')
#: ResNet depth -> channels of its final map (basic blocks: 512, bottlenecks: 2048)
RESNET_EXPANSION = {18: 1, 34: 1, 50: 4, 101: 4, 152: 4}  # the last block's channel expansion (BasicBlock: 1)


def _pair_crops(cfg: Config) -> Iterator[tuple[str, dict]]:
    """``(key, transform)`` for each pair crop in the training pipeline."""
    pipeline = cfg.get('train_dataloader', {}).get('dataset', {}).get('pipeline', [])
    for i, step in enumerate(pipeline):
        if isinstance(step, dict) and step.get('type') in PAIR_CROPS:
            yield f'train_dataloader.dataset.pipeline[{i}]', step


def backbone_stride(cfg: Config) -> int:
    """Input pixels per final-map cell: 32 for a ResNet, 16 with a dilated last stage (strides ending in 1)."""
    strides = cfg.get('model', {}).get('backbone', {}).get('strides', RESNET_STRIDES)
    return STEM_STRIDE * math.prod(strides)


def _feature_cells(size: Any, stride: int) -> tuple[int, int]:
    """Cells of the backbone's final map for a ``size`` (int or (h, w)) input."""
    h, w = (size, size) if isinstance(size, int) else size
    return math.ceil(h / stride), math.ceil(w / stride)


def check_crops(cfg: Config) -> list[tuple[int, int]]:
    """Check each pair crop's ``size`` against the backbone's stride; return the final-map sizes they give."""
    map_sizes = []
    stride = backbone_stride(cfg)
    for key, crop in _pair_crops(cfg):
        size = crop.get('size', 224)
        cells = _feature_cells(size, stride)
        if min(cells) < 2:
            raise ValueError(f'{key}.size must be larger than {stride} px (the backbone\'s stride) so that the '
                             f'final map has at least 2x2 cells (offset alignment, K-means), got {size}')
        map_sizes.append(cells)
    return map_sizes


def check_clusters(cfg: Config, map_sizes: list[tuple[int, int]]) -> None:
    """K-means needs at least K cells in the smallest final map the crops give."""
    clustering = (cfg.get('model', {}).get('head_2d') or {}).get('clustering') or {}
    fewest = min((h * w for h, w in map_sizes), default=None)  # cells of the smallest final map
    if 'num_clusters' in clustering and fewest is not None:
        check_num_clusters(clustering['num_clusters'], fewest, 'model.head_2d.clustering.num_clusters')


def check_view_augment(cfg: Config) -> None:
    """A pipeline that leaves the augmentation to the device needs the preprocessor that applies it.

    ``PerViewAugment(on_device=True)`` only draws the parameters; any other ``model.data_preprocessor``
    would train on unaugmented views without a word.
    """
    pipeline = cfg.get('train_dataloader', {}).get('dataset', {}).get('pipeline', [])
    deferred = [i for i, step in enumerate(pipeline)
                if isinstance(step, dict) and step.get('type') == 'PerViewAugment' and step.get('on_device')]
    if not deferred:
        return
    with MODELS.switch_scope_and_registry(cfg.get('default_scope', host_scope())) as registry:  # host's, core's
        model_type = cfg.get('model', {}).get('type')
        model = registry.get(model_type) if model_type else None
        default = ('ViewAugmentPreprocessor' if isinstance(model, type) and issubclass(model, MultiSiamBase)
                   else 'SelfSupDataPreprocessor')  # what the model builds without one (both hosts' name)
        name = (cfg.get('model', {}).get('data_preprocessor') or {}).get('type', default)
        preprocessor = registry.get(name)
    if preprocessor is None or not issubclass(preprocessor, ViewAugmentPreprocessor):
        raise ValueError(
            f'train_dataloader.dataset.pipeline[{deferred[0]}] is PerViewAugment(on_device=True), which leaves the '
            f'views\' augmentation to the model\'s data preprocessor, but model.data_preprocessor.type is {name!r}, '
            'which would not apply it: set model.data_preprocessor.type=ViewAugmentPreprocessor, or '
            f'train_dataloader.dataset.pipeline.{deferred[0]}.on_device=False to augment in the workers')


def _checkpoint_keys(cfg: Config) -> Iterator[tuple[str, Any]]:
    """``(key, path)`` of every checkpoint a config loads."""
    yield 'load_from', cfg.get('load_from')
    model = cfg.get('model', {})
    yield 'model.pretrained', model.get('pretrained')
    for part in ('', 'backbone.'):
        module = model if not part else model.get('backbone', {})
        init_cfgs = module.get('init_cfg') or []
        for i, init in enumerate(init_cfgs if isinstance(init_cfgs, list) else [init_cfgs]):
            yield f'model.{part}init_cfg[{i}].checkpoint', (init or {}).get('checkpoint')


def check_checkpoints(cfg: Config) -> None:
    """Every local checkpoint path in the config must exist (URLs are left to the loader)."""
    for key, path in _checkpoint_keys(cfg):
        if isinstance(path, str) and '://' not in path and not osp.isfile(path):
            raise FileNotFoundError(f'{key} is {path!r}, which does not exist; fix the path or set it to None')


def check_schedule(cfg: Config) -> None:
    """Epoch-based schedulers must fit in ``train_cfg.max_epochs``: begin before it, end at or before it.

    The shipped schedules leave the cosine's ``end`` and ``T_max`` unset so that mmengine ends it at
    ``max_epochs``; a scheduler written for a longer run would stop the lr part-way or crash mmengine.
    """
    max_epochs = cfg.get('train_cfg', {}).get('max_epochs')
    schedulers = cfg.get('param_scheduler') or []
    if max_epochs is None or not isinstance(schedulers, list):
        return
    for i, scheduler in enumerate(schedulers):
        if not scheduler.get('by_epoch', True):
            continue
        name, begin, end = scheduler.get('type'), scheduler.get('begin', 0), scheduler.get('end')
        if begin >= max_epochs:
            earlier = f'param_scheduler.{i - 1}.end and ' if i else ''
            raise ValueError(
                f'param_scheduler[{i}] ({name}) begins at epoch {begin}, but train_cfg.max_epochs is '
                f'{max_epochs}: shorten the warm-up, e.g. {earlier}'
                f'param_scheduler.{i}.begin={max(max_epochs // 10, 1) if max_epochs > 1 else 0}')
        if end is not None and end > max_epochs:
            raise ValueError(
                f'param_scheduler[{i}] ({name}) ends at epoch {end}, but train_cfg.max_epochs is {max_epochs}: '
                f'set param_scheduler.{i}.end={max_epochs} (and T_max), or leave both unset so that it ends '
                f'at max_epochs')


def check_backbone_width(cfg: Config) -> None:
    """The necks' ``in_channels`` must be the width of the backbone's final map, 8 x ``base_channels`` x the
    block expansion (with the default 64: ResNet-18/34 512, ResNet-50 and deeper 2048);
    ``model.backbone.depth=18`` on a ResNet-50 config would otherwise die in the first step ("mat1 and
    mat2 shapes cannot be multiplied")."""
    model = cfg.get('model', {})
    backbone = model.get('backbone', {})
    expansion = RESNET_EXPANSION.get(backbone.get('depth')) if backbone.get('type') == 'ResNet' else None
    width = None if expansion is None else 8 * backbone.get('base_channels', 64) * expansion
    neck = model.get('neck') or {}
    projectors = {f'model.neck.{name}.in_channels': part.get('in_channels') for name, part in neck.items()
                  if isinstance(part, dict) and 'in_channels' in part}
    if 'in_channels' in neck:
        projectors['model.neck.in_channels'] = neck['in_channels']
    wrong = {key: value for key, value in projectors.items() if width is not None and value != width}
    if wrong:
        keys = ' '.join(f'{key}={width}' for key in wrong)
        raise ValueError(
            f"model.backbone.depth={backbone['depth']} gives a final map of {width} channels, but "
            f"{', '.join(f'{key} is {value}' for key, value in wrong.items())}: set {keys} (the projector and "
            'predictor widths may stay), or use the config of that depth (e.g. configs/*_r18_*.py for '
            'ResNet-18)')


def check_accumulation(cfg: Config) -> None:
    """Gradient accumulation needs :class:`OptimStepEMAHook`, or the EMA target moves once per forward."""
    counts = cfg.get('optim_wrapper', {}).get('accumulative_counts', 1)
    hooks = [hook.get('type') for hook in cfg.get('custom_hooks', [])]
    if counts > 1 and 'OptimStepEMAHook' not in hooks:
        raise ValueError(
            f'optim_wrapper.accumulative_counts is {counts} but custom_hooks has no OptimStepEMAHook, so '
            f'the EMA target would move {counts} times per optimizer step; add '
            f"dict(type='OptimStepEMAHook') to custom_hooks (configs/_base_/default_runtime.py has it)")


def check_pretraining_config(cfg: Config) -> None:
    """All checks above, in the order a run would hit them."""
    check_checkpoints(cfg)
    check_backbone_width(cfg)
    check_clusters(cfg, check_crops(cfg))
    check_view_augment(cfg)
    check_schedule(cfg)
    check_accumulation(cfg)
