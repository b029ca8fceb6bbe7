"""Fine-tune a MultiSiam backbone with an MMSegmentation or MMDetection benchmark config.

Examples:
    python tools/benchmarks/train_downstream.py \
        configs/benchmarks/mmsegmentation/camvid/linear-probe_r18_1k.py --checkpoint CKPT
    python -m multisiam_mm.apis.train_downstream CONFIG --random-init     # the random-init baseline
    bash tools/benchmarks/mmseg_dist_train.sh \
        configs/benchmarks/mmsegmentation/cityscapes/fcn-16s_r50_90k.py CKPT 8

The config's ``pretrain_checkpoint`` and ``data_root`` variables are single sources: ``--checkpoint CKPT``,
``--cfg-options pretrain_checkpoint=CKPT`` and ``--cfg-options data_root=DIR`` rewrite every value built from
them (multisiam_mm/apis/config_variables.py). Without CUDA the run adapts like pre-training: SyncBN
becomes BN and distributed runs use gloo (:func:`~multisiam_mm.apis.runner_setup.adapt_to_cpu`).

mmseg or mmdet is imported by the runner (the config's ``default_scope`` and ``custom_imports``), not here.
"""
import argparse
import os.path as osp
from pathlib import Path
from typing import Optional

import torch
from mmengine.config import Config, DictAction
from mmengine.logging import print_log
from mmengine.runner import Runner

from .config_variables import (CONFIG_VARIABLES, adopt_model_zoo_config, drop_pretrained_init,
                               set_config_variable)
from .runner_setup import adapt_to_cpu, apply_cli, parse_with_launcher


def parse_args(argv: Optional[list] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Fine-tune a pre-trained backbone on a downstream benchmark')
    parser.add_argument('config', help='benchmark config (configs/benchmarks/...)')
    source = parser.add_mutually_exclusive_group()
    source.add_argument('--checkpoint',
                        help='pre-training checkpoint: sets the config variable pretrain_checkpoint')
    source.add_argument('--random-init', action='store_true',
                        help='drop the Pretrained init: the random-init baseline of the benchmark')
    parser.add_argument('--scope', choices=['mmseg', 'mmdet'],
                        help="fail unless the config's default_scope is this (set by the shell wrappers)")
    parser.add_argument('--work-dir',
                        help='the dir to save logs and models (default: work_dirs/benchmarks/...)')
    parser.add_argument('--resume', nargs='?', type=str, const='auto',
                        help='resume from this checkpoint, or, given without a path, from the work dir')
    parser.add_argument('--amp', action='store_true', help='enable automatic mixed precision training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the lr by total batch / auto_scale_lr.base_batch_size (mmdet configs)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, e.g. data_root=data/camvid '
                        'train_cfg.max_iters=100; lists as key="[a,b]"')
    return parse_with_launcher(parser, argv)


def load_config(config: str, checkpoint: Optional[str] = None, random_init: bool = False,
                cfg_options: Optional[dict] = None, scope: Optional[str] = None) -> Config:
    """Load a benchmark config and set its pre-training checkpoint and variables.

    Args:
        config: Path of a config under configs/benchmarks.
        checkpoint: Pre-training checkpoint; ``None`` keeps the config's ``pretrain_checkpoint``.
        random_init: Drop the ``Pretrained`` init instead (random-init baseline).
        cfg_options: ``--cfg-options``; ``pretrain_checkpoint`` and ``data_root`` are applied as variables,
            the rest merged as usual.
        scope: Expected ``default_scope`` (``'mmseg'`` or ``'mmdet'``), or ``None`` to accept either.

    Returns:
        The config, ready for ``Runner.from_cfg`` (before :func:`~multisiam_mm.apis.runner_setup.adapt_to_cpu`).
    """
    cfg = Config.fromfile(config)
    if scope is not None and cfg.get('default_scope') != scope:
        other = {'mmseg': 'mmdet', 'mmdet': 'mmseg'}[scope]
        raise ValueError(f'{config} is a {cfg.get("default_scope")} config, not {scope}: run it with '
                         f'tools/benchmarks/{other}_train.sh (or {other}_dist_train.sh)')
    if 'pretrain_checkpoint' not in cfg:  # an mmseg / mmdet model-zoo config
        adopt_model_zoo_config(cfg)
        print_log(f'{config} has no pretrain_checkpoint variable (a model-zoo config): the checkpoint goes to '
                  "model.backbone.init_cfg (Pretrained, prefix 'backbone.'), model.pretrained is cleared, and "
                  'PretrainedLoadCheckHook checks the load', logger='current')
    options = dict(cfg_options or {})
    if checkpoint is not None:
        if 'pretrain_checkpoint' in options:
            raise ValueError('the checkpoint is given twice (--checkpoint and --cfg-options '
                             'pretrain_checkpoint): keep one')
        options['pretrain_checkpoint'] = checkpoint
    for name in CONFIG_VARIABLES:
        if name in options:
            set_config_variable(cfg, name, options.pop(name))
    if options:
        cfg.merge_from_dict(options)
    if random_init:
        drop_pretrained_init(cfg)
    else:
        check_checkpoint_path(cfg.pretrain_checkpoint, config)
    return cfg


def check_checkpoint_path(checkpoint: Optional[str], config: str) -> None:
    """Fail early, with the fix, on an unset or missing pre-training checkpoint."""
    if checkpoint is None:
        raise ValueError(f'{config}: pretrain_checkpoint is not set. Pass the MultiSiam checkpoint: '
                         'bash tools/benchmarks/mmseg_train.sh CONFIG CKPT (mmdet_train.sh for detection), '
                         '--checkpoint CKPT or --cfg-options pretrain_checkpoint=CKPT; --random-init for the '
                         'random-init baseline')
    if '://' not in checkpoint and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'pre-training checkpoint {checkpoint} does not exist')


def default_work_dir(config: str) -> str:
    """``work_dirs/`` + the config's path below its ``configs/`` folder, without ``.py``
    (``configs/benchmarks/x/y.py`` -> ``work_dirs/benchmarks/x/y``); a config outside ``configs/``: its name."""
    parts = Path(osp.abspath(config)).parts
    below = parts[len(parts) - parts[::-1].index('configs'):] if 'configs' in parts[:-1] else parts[-1:]
    return osp.join('work_dirs', osp.splitext(osp.join(*below))[0])


def main(argv: Optional[list] = None) -> None:
    args = parse_args(argv)
    cfg = load_config(args.config, args.checkpoint, args.random_init, args.cfg_options, args.scope)
    args.cfg_options = None  # applied by load_config
    if args.work_dir is None and cfg.get('work_dir') is None:
        args.work_dir = default_work_dir(args.config)
    apply_cli(cfg, args)
    if args.auto_scale_lr:
        if 'auto_scale_lr' not in cfg:
            raise KeyError(f'--auto-scale-lr: {args.config} has no auto_scale_lr.base_batch_size to scale '
                           'from')
        cfg.auto_scale_lr.enable = True
    if not torch.cuda.is_available():
        adapt_to_cpu(cfg)
    runner = Runner.from_cfg(cfg)
    runner.train()


if __name__ == '__main__':
    main()
