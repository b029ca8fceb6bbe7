"""What the command-line options of the training entry points do to a config, and the CPU adaptation.

Shared by pre-training (:mod:`multisiam_mm.apis.train`) and downstream fine-tuning
(:mod:`multisiam_mm.apis.train_downstream`); nothing here imports mmseg or mmdet.
"""
import argparse
import importlib.util
import os
import os.path as osp
from typing import Optional

import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.logging import print_log

from ..checkpoints import latest_checkpoint
from ..registry import import_host_part


def import_config_host(cfg: Config) -> None:
    """Import the host part of ``cfg.default_scope`` (a no-op when its ``custom_imports`` did).

    Configs written before the core was host-free import only ``multisiam_mm``; under mmselfsup their
    Runner needs the host part's registry fix, so the entry points import it for them.
    """
    import_host_part(cfg.get('default_scope'))


def parse_with_launcher(parser: argparse.ArgumentParser, argv: Optional[list] = None) -> argparse.Namespace:
    """Add the launcher arguments every entry point takes, parse, and export ``LOCAL_RANK``.

    torchrun passes ``--local-rank`` (torch >= 2.0), ``torch.distributed.launch`` ``--local_rank``.
    """
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'], default='none',
                        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def adapt_to_cpu(cfg: Config) -> None:
    """Make a GPU config run without CUDA: gloo instead of NCCL, and DDP over CPU modules.

    Non-distributed runs need nothing more (mmengine reverts SyncBN to BN itself); distributed ones use
    :class:`~multisiam_mm.engine.CPUDistributedDataParallel`, which does the same before wrapping.
    """
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    cfg.model_wrapper_cfg = dict(
        type='CPUDistributedDataParallel', broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    if cfg.launcher == 'slurm':
        raise RuntimeError('--launcher slurm needs CUDA devices; on CPUs use tools/dist_train.sh')
    if cfg.launcher == 'pytorch' and not dist.is_initialized():
        # mmengine's init_dist calls torch.cuda.set_device; start the gloo group here instead
        dist.init_process_group(backend='gloo')
    print_log('No CUDA device: training on CPU (SyncBN runs as BN; distributed runs use gloo).',
              logger='current')


def apply_cli(cfg: Config, args: argparse.Namespace) -> None:
    """Apply ``--launcher``, ``--cfg-options``, ``--work-dir``, ``--amp`` and ``--resume`` to ``cfg``.

    Without ``--work-dir`` or a config ``work_dir``, the work dir is ``./work_dirs/<config name>``;
    ``--resume`` without a path continues from the work dir's latest complete checkpoint, if any.
    """
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        wrapper_type = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper_type not in ('OptimWrapper', 'AmpOptimWrapper', 'CPUAmpOptimWrapper'):
            raise ValueError(f'--amp supports optim_wrapper.type OptimWrapper, got {wrapper_type}')
        if torch.cuda.is_available():
            cfg.optim_wrapper.type = 'AmpOptimWrapper'  # float16 autocast with dynamic loss scaling
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
        else:
            cfg.optim_wrapper.type = 'CPUAmpOptimWrapper'  # bfloat16 autocast; mmengine's needs a GPU
    if args.resume == 'auto':
        cfg.load_from = latest_checkpoint(cfg.work_dir) if osp.isdir(cfg.work_dir) else None
        cfg.resume = cfg.load_from is not None
        print_log(f'--resume: continuing from {cfg.load_from}' if cfg.resume else
                  f'--resume: no complete checkpoint in {cfg.work_dir}, starting from scratch',
                  logger='current')
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise FileNotFoundError(f'--resume checkpoint {args.resume} does not exist')
        cfg.resume = True
        cfg.load_from = args.resume


def use_tensorboard(cfg: Config) -> None:
    """Add mmengine's TensorBoard backend beside the config's (a list --cfg-options cannot extend)."""
    if importlib.util.find_spec('tensorboard') is None:
        raise ModuleNotFoundError('--tensorboard needs the tensorboard package: pip install tensorboard')
    backends = cfg.visualizer.setdefault('vis_backends', [])
    if not any(backend.get('type') == 'TensorboardVisBackend' for backend in backends):
        backends.append(dict(type='TensorboardVisBackend'))


def use_channels_last(cfg: Config) -> None:
    """Train in channels-last (NHWC) memory format: the pre-training runner becomes ``ChannelsLastRunner``."""
    if cfg.get('runner_type', 'Runner') not in ('Runner', 'PretrainRunner'):
        raise ValueError(f'--channels-last replaces the pre-training runner, but the config sets '
                         f'runner_type={cfg.runner_type}; convert the model in that runner instead')
    cfg.runner_type = 'ChannelsLastRunner'
