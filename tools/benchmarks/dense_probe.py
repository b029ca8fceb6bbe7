"""The deterministic CamVid dense linear probe of one or more backbones (frozen, full frames, cached features).

    python tools/benchmarks/dense_probe.py random work_dirs/demo/pretrain/epoch_40.pth \
        --data-root ../shared/data/camvid --cache-dir work_dirs/probe_cache --out probe.json

Each backbone: features of the full 480x360 train and val frames (cached by checkpoint digest), a per-pixel
linear classifier fit to convergence by L-BFGS on train, mIoU and IoU per class on val. Protocol:
``multisiam_mm/evaluation/dense_probe.py``. ``random`` is a randomly initialized ResNet (``--seed``).
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
    parser.add_argument('--bn', choices=['checkpoint', 'frames'], default='checkpoint',
                        help='BN running statistics: as stored (default) or re-estimated on the train frames')
    parser.add_argument('--position', choices=['none', 'append', 'only'], default='none',
                        help='diagnostic: give the classifier one-hot row/column planes besides the features '
                             '(append) or instead of them (only: the position prior alone)')
    parser.add_argument('--out', help='write every result as JSON')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    results = {}
    for checkpoint in args.checkpoints:
        results[checkpoint] = probe_checkpoint(checkpoint, args.data_root, args.cache_dir, args.source, args.seed,
                                               args.depth, args.bn, position=args.position)
        result = results[checkpoint]
        print(f'{checkpoint}: mIoU {result["mIoU"]:.2f} ({result["lbfgs_steps"]} L-BFGS steps; features: '
              f'effective rank {result["effective_rank"]:.1f}, position R^2 row {result["position_r2"][0]:.2f} '
              f'column {result["position_r2"][1]:.2f}, similarity to the frame mean '
              f'{result["frame_similarity"]:.2f})', flush=True)
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
