"""Override a benchmark config's top-level variables (``pretrain_checkpoint``, ``data_root``) everywhere.

A config file is executed once, so ``data_root = 'data/cityscapes/'`` has already been copied into every
dataset and evaluator when ``--cfg-options data_root=...`` merges: the merge changes only the variable.
:func:`set_config_variable` also rewrites the values that were built from it, so each benchmark config
takes its checkpoint and its dataset location from one place.
"""
from typing import Any, Iterator, Optional, Union

from mmengine.config import Config

#: Top-level variables that the benchmark tools treat as single sources (see tools/benchmarks).
CONFIG_VARIABLES = ('pretrain_checkpoint', 'data_root')

Container = Union[dict, list]


def _walk(node: Any) -> Iterator[tuple[Container, Union[str, int], Any]]:
    """Yield ``(container, key, value)`` for every entry below ``node``, depth first."""
    if isinstance(node, dict):
        items: list[tuple[Union[str, int], Any]] = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return
    for key, value in items:
        yield node, key, value
        yield from _walk(value)


def _config_name(cfg: Config) -> str:
    return cfg.filename or 'the config'


def _is_pretrained(value: Any) -> bool:
    return isinstance(value, dict) and value.get('type') == 'Pretrained'


def _derived(item: Any, old: Any, new: Any) -> tuple[bool, Any]:
    """``(True, replacement)`` when the string ``item`` was built from the string ``old``."""
    if isinstance(old, str) and old and isinstance(item, str):
        if item == old:
            return True, new
        if old.endswith('/') and item.startswith(old):
            return True, new + item[len(old):]
    return False, item


def set_config_variable(cfg: Config, name: str, value: Any) -> int:
    """Set the top-level variable ``name`` and every value derived from it.

    Derived values are: ``Pretrained`` init_cfgs whose ``checkpoint`` is the old value (also when it is
    ``None``, the benchmark configs' "not set yet"); strings equal to the old value; and, when the old value
    is a directory ending in ``/``, strings starting with it (``data_root + 'annotations/...'``).

    Args:
        cfg: A loaded config; changed in place.
        name: The top-level variable, e.g. ``'pretrain_checkpoint'`` or ``'data_root'``.
        value: Its new value.

    Returns:
        How many values other than the variable itself were rewritten.
    """
    if name not in cfg:
        raise KeyError(f'{name!r} is not a top-level variable of {_config_name(cfg)}; the benchmark '
                       f'configs define {", ".join(CONFIG_VARIABLES)}')
    old = cfg[name]
    if isinstance(old, str) and old.endswith('/') and isinstance(value, str) and value:
        value = value.rstrip('/') + '/'  # keep joins like data_root + 'train.txt' valid
    cfg[name] = value
    if value == old:
        return 0
    count = 0
    for container, key, _ in list(_walk(cfg._cfg_dict)):
        item = container[key]  # re-read: an earlier step may have rewritten it
        if _is_pretrained(item) and item.get('checkpoint') == old:
            item['checkpoint'] = value
            count += 1
        elif isinstance(item, tuple):
            results = [_derived(element, old, value) for element in item]
            if any(changed for changed, _ in results):
                container[key] = tuple(element for _, element in results)
                count += 1
        else:
            changed, new_item = _derived(item, old, value)
            if changed:
                container[key] = new_item
                count += 1
    if count == 0:
        cfg[name] = old
        raise ValueError(f'{name} = {old!r} is not used anywhere in {_config_name(cfg)}, so setting it to '
                         f'{value!r} changes nothing: set the config field itself with --cfg-options')
    return count


def drop_pretrained_init(cfg: Config, checkpoint: Optional[str] = None) -> int:
    """Remove the ``Pretrained`` init_cfgs that read ``checkpoint`` (default: ``cfg.pretrain_checkpoint``).

    Turns a benchmark config into its random-init baseline: the affected modules fall back to their
    default initialization.

    Args:
        cfg: A loaded config; changed in place.
        checkpoint: Which checkpoint's init_cfgs to drop. Defaults to the config's ``pretrain_checkpoint``.

    Returns:
        How many init_cfgs were removed.
    """
    checkpoint = cfg.get('pretrain_checkpoint') if checkpoint is None else checkpoint
    count = 0
    for container, key, value in list(_walk(cfg._cfg_dict)):
        if key != 'init_cfg':
            continue
        if _is_pretrained(value) and value.get('checkpoint') == checkpoint:
            container[key] = None
            count += 1
        elif isinstance(value, list):
            kept = [item for item in value
                    if not (_is_pretrained(item) and item.get('checkpoint') == checkpoint)]
            if len(kept) != len(value):
                count += len(value) - len(kept)
                container[key] = kept or None
    if count == 0:
        raise ValueError(f'no init_cfg=dict(type="Pretrained", checkpoint={checkpoint!r}) in '
                         f'{_config_name(cfg)}: nothing to drop for a random-init run')
    return count


def adopt_model_zoo_config(cfg: Config) -> None:
    """Give an mmseg / mmdet model-zoo config the ``pretrain_checkpoint`` variable the benchmark tools set.

    Such a config has no such variable: its backbone reads ``model.pretrained`` (a torchvision-style file,
    no prefix) or nothing. Here its backbone gets ``init_cfg=dict(type='Pretrained', checkpoint=
    pretrain_checkpoint, prefix='backbone.')`` (the benchmark configs' own line), ``model.pretrained`` is
    cleared, and :class:`~multisiam_mm.downstream.PretrainedLoadCheckHook` is added if missing, so a deep
    stem (``ResNetV1c``) or another depth stops the run instead of training a half-random backbone. Only
    the backbone is loaded (mmdet's C4 RoI head, which the benchmark config loads too, is not).
    """
    cfg.pretrain_checkpoint = None
    if 'pretrained' in cfg.model:
        cfg.model.pretrained = None
    cfg.model.backbone.init_cfg = dict(type='Pretrained', checkpoint=None, prefix='backbone.')
    hooks = list(cfg.get('custom_hooks') or [])
    if not any(hook.get('type') == 'PretrainedLoadCheckHook' for hook in hooks):
        cfg.custom_hooks = hooks + [dict(type='PretrainedLoadCheckHook')]
    imports = dict(cfg.get('custom_imports') or dict(imports=[], allow_failed_imports=False))
    if not any(name.startswith('multisiam_mm.downstream') for name in imports['imports']):
        imports['imports'] = list(imports['imports']) + ['multisiam_mm.downstream']
        cfg.custom_imports = imports
