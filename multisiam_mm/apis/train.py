"""Pre-train a self-supervised model from a config (MMSelfSup-style entry point).

Examples:
    python -m multisiam_mm.apis.train configs/multisiam_r18_camvid.py   # what tools/train.py runs
    python tools/train.py configs/multisiam_r18_camvid.py
    bash tools/dist_train.sh configs/multisiam_r50_waymo.py 8 --amp --channels-last
    python tools/train.py CONFIG --resume            # resume from the work dir's latest checkpoint
    python tools/train.py CONFIG --tensorboard       # TensorBoard logs beside scalars.json

With no CUDA device the run still works: SyncBN becomes BN, and distributed runs use the gloo backend,
so ``bash tools/dist_train.sh CONFIG 2`` runs two CPU processes. Needs no mmseg or mmdet (pre-training
runs on mmcv without compiled ops).
"""
import argparse
import gc
from typing import Optional

import torch
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from ..registry import RUNNERS
from .config_checks import check_pretraining_config
from .runner_setup import (adapt_to_cpu, apply_cli, import_config_host, parse_with_launcher, use_channels_last,
                           use_tensorboard)


def parse_args(argv: Optional[list] = None) -> argparse.Namespace:
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
    return parse_with_launcher(parser, argv)


def main(argv: Optional[list] = None) -> None:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    import_config_host(cfg)
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
    distributed = torch.distributed.is_initialized()
    # Release what holds the process group before destroying it, so that the interpreter's teardown finds
    # no c10d object left to destroy: the DDP wrapper and its reducer, the optimizer wrapper, the
    # DataLoader iterator with its persistent workers. Left to teardown, their destructors ran in whatever
    # order the interpreter freed modules, and a gloo rank could abort ("terminate called without an
    # active exception") after every checkpoint and log was written.
    del runner
    gc.collect()
    if distributed:
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()


if __name__ == '__main__':
    main()
