"""Pre-train a self-supervised model from a config (MMSelfSup-style entry point).

Examples:
    python tools/train.py configs/multisiam_r18_camvid.py
    bash tools/dist_train.sh configs/multisiam_r50_waymo.py 8 --amp --channels-last
    python tools/train.py CONFIG --resume            # resume from the work dir's latest checkpoint
    python tools/train.py CONFIG --tensorboard       # TensorBoard logs beside scalars.json

With no CUDA device the run still works: SyncBN becomes BN, and distributed runs use the gloo backend,
so ``bash tools/dist_train.sh CONFIG 2`` runs two CPU processes.
"""
import argparse
import importlib.util
import os
import os.path as osp
import sys

import torch
import torch.distributed as dist
from mmengine.config import Config, DictAction
from mmengine.logging import print_log
from mmengine.runner import Runner
from mmselfsup.registry import RUNNERS

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
import multisiam_mm  # noqa: E402,F401  registers components and applies multisiam_mm.compat
from multisiam_mm.engine import latest_checkpoint  # noqa: E402
from multisiam_mm.engine.config_checks import check_pretraining_config  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Pre-train a self-supervised model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from this checkpoint, or, given without a path, from the latest checkpoint '
        'in the work dir')
    parser.add_argument('--amp', action='store_true', help='enable automatic mixed precision training')
    parser.add_argument('--tensorboard', action='store_true',
                        help='also write TensorBoard logs (work_dir/<time>/vis_data/); needs `pip install tensorboard`')
    parser.add_argument('--channels-last', action='store_true',
                        help='train the model in channels-last (NHWC) memory format')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, e.g. train_dataloader.batch_size=64 '
        'model.loss_weight_1d=0.3; lists as key="[a,b]"')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'], default='none',
                        help='job launcher')
    # torchrun passes --local-rank (torch >= 2.0), torch.distributed.launch --local_rank.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
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
    if cfg.get('runner_type', 'Runner') not in ('Runner', 'PretrainRunner'):
        raise ValueError(f'--channels-last replaces the pre-training runner, but the config sets '
                         f'runner_type={cfg.runner_type}; convert the model in that runner instead')
    cfg.runner_type = 'ChannelsLastRunner'


def main() -> None:
    args = parse_args()
    cfg = Config.fromfile(args.config)
    apply_cli(cfg, args)
    if args.channels_last:
        use_channels_last(cfg)
    if args.tensorboard:
        use_tensorboard(cfg)
    check_pretraining_config(cfg)
    if not torch.cuda.is_available():
        adapt_to_cpu(cfg)
    runner = RUNNERS.build(cfg) if 'runner_type' in cfg else Runner.from_cfg(cfg)
    runner.train()


if __name__ == '__main__':
    main()
