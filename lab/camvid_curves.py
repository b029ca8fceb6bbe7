"""Learning curves on CamVid: three instruments against pre-training epochs, BYOL beside MultiSiam.

Pre-trains each method once on the 468 CamVid train+val frames (the mini-reproduction's recipe,
``camvid_runs.pretrain_options``) keeping a checkpoint every ``--every`` epochs, then measures every
checkpoint with the deterministic dense probe, unsupervised segmentation and label efficiency
(``multisiam_mm/evaluation/instruments.py``); epoch 0 is the random init. Finished runs and measurements
are reused (a record of the probe alone gets the other two added).

    python -m lab.camvid_curves --epochs 30 --every 5 --out docs/figures/camvid_curves.png

A recipe variant (a hypothesis to measure: no colour augmentation, the 2D branch alone, 7x7 maps) is the
same command with ``--tag NAME --cfg-options KEY=VALUE ...``: the options go to every method's pre-training
and the runs are kept apart under ``METHOD@NAME``, e.g.

    python -m lab.camvid_curves --methods MultiSiam --epochs 10 --every 10 --tag lambda0 \
        --cfg-options model.loss_weight_1d=0.0

Writes ``WORK_DIR/curves.json`` (every result) and the PNG (one panel per instrument).
"""
import argparse
import json
from pathlib import Path

from lab.camvid_runs import CAMVID_ROOT, METHODS, frame_list, pretrain, pretrain_options, run_name
from multisiam_mm.evaluation import INSTRUMENTS, evaluate_backbone

ROOT = Path(__file__).resolve().parents[1]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data-root', default=str(CAMVID_ROOT),
                        help='CamVid root with train/, val/, trainannot/, valannot/, train.txt, val.txt')
    parser.add_argument('--work-dir', default=str(ROOT / 'work_dirs/camvid_curves'))
    parser.add_argument('--methods', nargs='+', choices=[m for m, spec in METHODS.items() if spec],
                        default=['BYOL', 'MultiSiam'])
    parser.add_argument('--epochs', type=int, default=30, help='pre-training epochs (the cosine ends here)')
    parser.add_argument('--every', type=int, default=5, help='keep a checkpoint every N epochs')
    parser.add_argument('--measure-every', type=int,
                        help='measure a checkpoint every N epochs (a multiple of --every; default --every)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--tag', help='name of a recipe variant set by --cfg-options (kept apart as METHOD@TAG)')
    parser.add_argument('--cfg-options', nargs='+', default=[], metavar='KEY=VALUE',
                        help='pre-training config overrides of the variant (the train script\'s --cfg-options)')
    parser.add_argument('--train-frames', default='train',
                        help='frames the probes are fit on (a split name or a list file of split/stem lines)')
    parser.add_argument('--eval-frames', default='val', help='frames every instrument scores')
    parser.add_argument('--workers', type=int, help='dataloader workers of the pre-training (a machine setting: '
                        'the runs keep their names; default the config\'s)')
    parser.add_argument('--out', help='PNG of the curves (default WORK_DIR/curves.png)')
    args = parser.parse_args()
    if bool(args.tag) != bool(args.cfg_options):
        parser.error('a recipe variant needs both --tag (its name) and --cfg-options (what it changes)')
    args.measure_every = args.measure_every or args.every
    if args.measure_every % args.every:
        parser.error(f'--measure-every {args.measure_every} must be a multiple of --every {args.every} '
                     '(only kept checkpoints can be measured)')
    # absolute: the pre-training runs from the repo root and reads its frame list relative to the data root
    args.work_dir, args.data_root = str(Path(args.work_dir).resolve()), str(Path(args.data_root).resolve())
    return args


def evaluate_once(results: dict, key: str, checkpoint: str, args, record: Path) -> dict:
    """The three instruments of ``checkpoint`` (the probe's result at the top level, ``unsupervised`` and
    ``label_efficiency`` beside it), each measured unless ``results`` holds it (records of the probe alone
    get the other two added); every new result is saved at once."""
    result = results.setdefault(key, {})
    missing = [name for name in INSTRUMENTS if name not in result and not (name == 'probe' and 'mIoU' in result)]
    if missing:
        measured = evaluate_backbone(checkpoint, args.data_root, str(Path(args.work_dir) / 'probe_cache'),
                                     args.train_frames, args.eval_frames, seed=args.seed, instruments=missing)
        result.update(measured.pop('probe', {}), **measured)
        record.write_text(json.dumps(results, indent=1))
        print(f'[curves] {key}: ' + ', '.join(f'{panel} {value(result):.2f}' for panel, value in PANELS.items()),
              flush=True)
    return result


#: what each panel of the curves plots, from an evaluate_once result
PANELS = {'dense probe mIoU': lambda r: r['mIoU'],
          'unsupervised segmentation mIoU': lambda r: r['unsupervised']['mIoU'],
          'probe on 4 labelled frames, mIoU': lambda r: r['label_efficiency']['4']['mean']}


def plot(curves: dict, random_init: dict, out: Path, title: str) -> None:
    """One panel per instrument: each method's value against its checkpoints' epochs, random init at 0."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(PANELS), figsize=(5 * len(PANELS), 4))
    for axis, (panel, value) in zip(axes, PANELS.items()):
        for method, points in curves.items():
            epochs = [0] + sorted(points)
            axis.plot(epochs, [value(random_init)] + [value(points[e]) for e in sorted(points)], marker='o',
                      label=method)
        axis.axhline(value(random_init), color='grey', linestyle='--', linewidth=1, label='random init')
        axis.set_xlabel('pre-training epoch (468 CamVid frames, batch 32)')
        axis.set_ylabel(f'{panel} (CamVid val)')
        axis.grid(alpha=0.3)
    axes[0].legend()
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=120)


def main() -> None:
    args = parse_args()
    work_dir = Path(args.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    record = work_dir / 'curves.json'
    results = json.loads(record.read_text()) if record.is_file() else {}
    frames = frame_list(Path(args.data_root), work_dir / 'pretrain_frames.txt')
    random_init = evaluate_once(results, f'random init/seed{args.seed}', 'random', args, record)
    curves = {}
    for method in args.methods:
        config, base_lr, extra = METHODS[method]
        name = f'{method}@{args.tag}' if args.tag else method
        # each budget is its own cosine, so its own run
        run_dir = work_dir / run_name(name) / f'{args.epochs}e' / f'seed{args.seed}'
        run_dir.mkdir(parents=True, exist_ok=True)
        options = pretrain_options(args.epochs, args.seed, frames, Path(args.data_root), base_lr, args.every)
        if args.workers is not None:
            options.append(f'train_dataloader.num_workers={args.workers}')
        checkpoint = pretrain(config, str(run_dir / 'pretrain'), options + extra + args.cfg_options,
                              str(run_dir / 'run.log'))
        curves[name] = {}
        for epoch in range(args.measure_every, args.epochs + 1, args.measure_every):
            path = Path(checkpoint).parent / f'epoch_{epoch}.pth'
            key = f'{name}/{args.epochs}e/seed{args.seed}/epoch{epoch}'
            curves[name][epoch] = evaluate_once(results, key, str(path), args, record)
    print(json.dumps({name: {epoch: {panel: value(result) for panel, value in PANELS.items()}
                             for epoch, result in points.items()} for name, points in curves.items()}, indent=1))
    plot(curves, random_init, Path(args.out or work_dir / 'curves.png'),
         f'ResNet-18, CamVid recipe, {args.epochs}-epoch cosine, seed {args.seed}')


if __name__ == '__main__':
    main()
