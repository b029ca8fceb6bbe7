"""The deterministic CamVid dense linear probe of one or more backbones (frozen, full frames, cached features).

    python tools/benchmarks/dense_probe.py random work_dirs/demo/pretrain/epoch_40.pth \
        --data-root ../shared/data/camvid --cache-dir work_dirs/probe_cache --out probe.json

Each backbone: features of the full 480x360 train and val frames (cached by checkpoint digest), a per-pixel
linear classifier fit to convergence by L-BFGS on train, mIoU and IoU per class on val. Protocol:
``multisiam_mm/evaluation/dense_probe.py``. ``random`` is a randomly initialized ResNet (``--seed``). The
probe's diagnostics (what the features keep, BN re-estimated, position given) are ``python -m
lab.probe_diagnostics``.
"""
import argparse
import json

from multisiam_mm.evaluation import CAMVID_CLASSES, probe_checkpoint


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('checkpoints', nargs='+', help="pre-training checkpoints, backbone-only files or 'random'")
    parser.add_argument('--data-root', default='demo/camvid', help='CamVid root (train.txt, train/, trainannot/...)')
    parser.add_argument('--cache-dir', help='cache the features here (reused by a later run)')
    parser.add_argument('--source', choices=['online', 'target'], default='online',
                        help="backbone of a pre-training checkpoint: online (default) or the EMA target")
    parser.add_argument('--seed', type=int, default=0, help="seed of the 'random' backbone")
    parser.add_argument('--depth', type=int, default=18, help="depth of the 'random' backbone")
    parser.add_argument('--train-frames', default='train', help='split name or list file of split/stem lines')
    parser.add_argument('--eval-frames', default='val', help='split name or list file of split/stem lines')
    parser.add_argument('--out', help='write every result as JSON')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    results = {}
    for checkpoint in args.checkpoints:
        results[checkpoint] = probe_checkpoint(checkpoint, args.data_root, args.cache_dir, args.source, args.seed,
                                               args.depth, args.train_frames, args.eval_frames)
        result = results[checkpoint]
        print(f'{checkpoint}: mIoU {result["mIoU"]:.2f} ({result["lbfgs_steps"]} L-BFGS steps)', flush=True)
    print('\n| backbone | mIoU | ' + ' | '.join(CAMVID_CLASSES) + ' |')
    print('|---' * (len(CAMVID_CLASSES) + 2) + '|')
    for checkpoint, result in results.items():
        print(f'| {checkpoint} | {result["mIoU"]:.2f} | '
              + ' | '.join(f'{result["IoU"][name]:.1f}' for name in CAMVID_CLASSES) + ' |')
    if args.out:
        with open(args.out, 'w') as handle:
            json.dump(results, handle, indent=1)


if __name__ == '__main__':
    main()
