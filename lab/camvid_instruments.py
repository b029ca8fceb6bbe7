"""Three instruments on CamVid for any set of backbones: the dense probe, unsupervised segmentation, label
efficiency (``multisiam_mm/evaluation/instruments.py`` has the protocols).

    python -m lab.camvid_instruments \
        "random init/seed0=random:0" "random init/seed1=random:1" \
        BYOL/seed0=work_dirs/camvid_curves/BYOL/10e/seed0/pretrain/epoch_10.pth ... \
        --data-root ../shared/data/camvid --cache-dir work_dirs/camvid_curves/probe_cache \
        --out work_dirs/camvid_instruments.json

Each backbone is ``NAME=CHECKPOINT``, where CHECKPOINT is a pre-training checkpoint, a backbone file or
``random:SEED``; names ``METHOD/RUN`` are summarized per METHOD (mean and spread over its runs), and each
METHOD's label efficiency is compared subset by subset with the first METHOD's (every backbone is fit on
the same labelled subsets, so the difference is paired: mean gain and how many subsets gained). Results
are written to ``--out`` after every backbone and a backbone already there (same checkpoint file, same
frames) is not measured again, so an interrupted run continues where it stopped. ``--train-frames`` and
``--eval-frames`` take split names or list files of ``split/stem`` lines; ``--label-sizes`` the labelled-frame
counts (those larger than the labelled pool are left out with a note: the bundled demo has 31 train frames).
"""
import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from lab.camvid_runs import CAMVID_ROOT
from multisiam_mm.evaluation import evaluate_backbone
from multisiam_mm.evaluation.frozen_trunk import file_digest
from multisiam_mm.evaluation.label_efficiency import SIZES

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('backbones', nargs='+', metavar='NAME=CHECKPOINT', help="CHECKPOINT: a file or random:SEED")
    parser.add_argument('--data-root', default=str(CAMVID_ROOT))
    parser.add_argument('--train-frames', default='train', help='probe training frames and labelled pool')
    parser.add_argument('--eval-frames', default='val', help='frames scored (and clustered)')
    parser.add_argument('--label-sizes', type=int, nargs='+', default=list(SIZES),
                        help='labelled-frame counts of the label-efficiency probes')
    parser.add_argument('--cache-dir', help='cache the features here (reused by a later run)')
    parser.add_argument('--out', required=True, help='JSON of every result (read first: finished ones are kept)')
    args = parser.parse_args(argv)
    bad = [entry for entry in args.backbones if '=' not in entry]
    if bad:
        parser.error(f'each backbone is NAME=CHECKPOINT (CHECKPOINT a file or random:SEED), got {bad}')
    return args


def identity(checkpoint: str, args: argparse.Namespace) -> str:
    """What a stored result was measured on: the checkpoint's bytes (or the random seed) and the frames."""
    source = checkpoint if checkpoint.startswith('random') else file_digest(Path(checkpoint))
    return f'{source} | train {args.train_frames} | eval {args.eval_frames} | sizes {args.label_sizes}'


def measure(name: str, checkpoint: str, args: argparse.Namespace, results: dict) -> dict:
    """The three instruments of one backbone, from ``results`` when measured there already."""
    key = identity(checkpoint, args)
    if results.get(name, {}).get('identity') != key:
        random_seed = int(checkpoint.split(':')[1]) if checkpoint.startswith('random') else 0
        source = 'random' if checkpoint.startswith('random') else checkpoint
        results[name] = dict(identity=key, **evaluate_backbone(
            source, args.data_root, args.cache_dir, args.train_frames, args.eval_frames, seed=random_seed,
            label_sizes=args.label_sizes))
        Path(args.out).write_text(json.dumps(results, indent=1))
    return results[name]


def summary(values: list) -> str:
    """``mean +- spread`` over runs (spread: half the range; one run: the value)."""
    return f'{np.mean(values):.2f}' if len(values) == 1 else \
        f'{np.mean(values):.2f} +- {(max(values) - min(values)) / 2:.2f}'


def measured_sizes(result: dict) -> list:
    """The labelled-frame counts a result holds (those that fitted its pool)."""
    return sorted(int(n) for n in result['label_efficiency'])


def tables(results: dict, names: list) -> str:
    sizes = measured_sizes(results[names[0]])
    rows = ['| backbone | probe mIoU | unsupervised mIoU | unsupervised pixel acc. | '
            + ' | '.join(f'{n} labelled frame{"s" * (n > 1)}' for n in sizes) + ' |',
            '|---' * (4 + len(sizes)) + '|']
    per_method = defaultdict(lambda: defaultdict(list))
    for name in names:
        result = results[name]
        efficiency = result['label_efficiency']
        cells = [f'{result["probe"]["mIoU"]:.2f}', f'{result["unsupervised"]["mIoU"]:.2f}',
                 f'{result["unsupervised"]["pixel_accuracy"]:.2f}']
        cells += [f'{efficiency[str(n)]["mean"]:.2f} +- {efficiency[str(n)]["std"]:.2f}' for n in sizes]
        rows.append(f'| {name} | ' + ' | '.join(cells) + ' |')
        method = per_method[name.split('/')[0]]
        for metric, value in (('probe', result['probe']['mIoU']), ('unsupervised', result['unsupervised']['mIoU']),
                              ('pixel', result['unsupervised']['pixel_accuracy']),
                              *((str(n), efficiency[str(n)]['mean']) for n in sizes)):
            method[metric].append(value)
    rows += ['', '| method (runs) | probe mIoU | unsupervised mIoU | unsupervised pixel acc. | '
             + ' | '.join(f'{n} labelled' for n in sizes) + ' |', '|---' * (4 + len(sizes)) + '|']
    for method, metrics in per_method.items():
        rows.append(f'| {method} ({len(metrics["probe"])}) | '
                    + ' | '.join(summary(metrics[m]) for m in ('probe', 'unsupervised', 'pixel', *map(str, sizes)))
                    + ' |')
    return '\n'.join(rows)


def paired_gains(results: dict, names: list) -> str:
    """Label efficiency against the first method, subset by subset: each method's per-subset mIoU averaged
    over its runs, minus the first method's; the mean difference and the subsets where it is positive."""
    per_method = defaultdict(list)
    for name in names:
        per_method[name.split('/')[0]].append(results[name]['label_efficiency'])
    sizes = [n for n in measured_sizes(results[names[0]])
             if len(results[names[0]]['label_efficiency'][str(n)]['mIoU']) > 1]
    methods = list(per_method)
    subset_means = {method: {n: np.mean([runs[str(n)]['mIoU'] for runs in per_method[method]], axis=0)
                             for n in sizes} for method in methods}
    rows = [f'| against {methods[0]}, paired by subset | '
            + ' | '.join(f'{n} labelled: gain (subsets higher)' for n in sizes) + ' |', '|---' * (1 + len(sizes)) + '|']
    for method in methods[1:]:
        gains = [subset_means[method][n] - subset_means[methods[0]][n] for n in sizes]
        rows.append(f'| {method} | ' + ' | '.join(f'{g.mean():+.2f} ({(g > 0).sum()}/{g.size})' for g in gains) + ' |')
    return '\n'.join(rows)


def main(argv=None) -> None:
    args = parse_args(argv)
    out = Path(args.out)
    results = json.loads(out.read_text()) if out.is_file() else {}
    names = []
    for entry in args.backbones:
        name, checkpoint = entry.split('=', 1)
        result = measure(name, checkpoint, args, results)
        names.append(name)
        print(f'[instruments] {name}: probe {result["probe"]["mIoU"]:.2f}, unsupervised '
              f'{result["unsupervised"]["mIoU"]:.2f} mIoU, labelled frames '
              + ', '.join(f'{n}: {result["label_efficiency"][str(n)]["mean"]:.2f}' for n in measured_sizes(result)),
              flush=True)
    print(tables(results, names))
    if len({name.split('/')[0] for name in names}) > 1:
        print('\n' + paired_gains(results, names))


if __name__ == '__main__':
    main()
