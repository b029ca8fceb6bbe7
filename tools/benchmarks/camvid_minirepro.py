"""CamVid mini-reproduction: does MultiSiam do what the paper claims, on real street frames, on one CPU?

Pre-trains each method on the CamVid train+val frames (labels unused) with one fixed budget (ResNet-18,
same crop size, epochs, batch and seeds for all), then evaluates every checkpoint with the CamVid dense
linear probe and the FCN fine-tune (train -> val), and writes one table, method x metric, mean and std
over seeds. Finished runs are reused, so an interrupted reproduction resumes where it stopped.

    python tools/benchmarks/camvid_minirepro.py                         # budget 'cpu', seeds 0 1
    python tools/benchmarks/camvid_minirepro.py --budget gpu --seeds 0 1 2

The table goes to ``WORK_DIR/results.md`` (and every run's figures to ``WORK_DIR/results.json``).
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from multisiam_mm.benchmarks.camvid_runs import FINETUNE_CONFIG, PROBE_CONFIG, evaluate, pretrain  # noqa: E402

#: method -> (pre-training config, lr per 256 images, extra options); None: random init, no pre-training.
#: LARS methods use the paper's base lr 1.0, the MoCo-based variant MoCo v2's SGD lr 0.03.
METHODS = {
    'random init': None,
    'BYOL': ('configs/baselines/byol_r18_camvid.py', 1.0, []),
    'BYOL + IoU threshold': ('configs/baselines/byol-iou_r18_camvid.py', 1.0, []),
    'MultiSiam': ('configs/multisiam_r18_camvid.py', 1.0, []),
    'MultiSiam w/o K-means': ('configs/multisiam_r18_camvid.py', 1.0, ['model.head_2d.clustering=None']),
    'MultiSiam (MoCo-based)': ('configs/multisiam-moco_r18_camvid.py', 0.03, []),
}
#: budget -> pre-training epochs over the 468 frames (batch 32: 14 iterations each), probe and
#: fine-tune iterations
BUDGETS = {
    'smoke': dict(epochs=2, frames=64, probe_iters=4, finetune_iters=4),
    'cpu': dict(epochs=10, frames=None, probe_iters=200, finetune_iters=200),
    'gpu': dict(epochs=200, frames=None, probe_iters=1000, finetune_iters=1000),
}
BATCH = 32


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data-root', default=str(ROOT.parent / 'shared/data/camvid'),
                        help='CamVid root with train/, val/, trainannot/, valannot/, train.txt, val.txt')
    parser.add_argument('--work-dir', help='defaults to work_dirs/camvid_minirepro/BUDGET')
    parser.add_argument('--budget', choices=sorted(BUDGETS), default='cpu')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1])
    parser.add_argument('--methods', nargs='+', choices=list(METHODS), default=list(METHODS))
    return parser.parse_args()


def frame_list(data_root: Path, out: Path, limit: int = None) -> Path:
    """The train + val frames as paths relative to ``data_root`` (the pre-training set; no labels)."""
    stems = [f'{split}/{stem}.jpg' for split in ('train', 'val')
             for stem in (data_root / f'{split}.txt').read_text().split()]
    out.write_text('\n'.join(stems[:limit]) + '\n')
    return out


def pretrain_options(budget: dict, seed: int, frames: Path, data_root: Path, base_lr: float) -> list[str]:
    """The shared recipe: same data, epochs, batch, lr scaling and seed for every method."""
    epochs = budget['epochs']
    if epochs < 2:
        raise ValueError(f'a budget needs at least 2 epochs (warm-up, then cosine), got {epochs}')
    warmup = max(1, epochs // 10)
    return [
        f'train_dataloader.dataset.data_root={data_root}/', f'train_dataloader.dataset.ann_file={frames}',
        'train_dataloader.dataset.data_prefix.img_path=./', f'train_dataloader.batch_size={BATCH}',
        f'optim_wrapper.optimizer.lr={base_lr}', f'randomness.seed={seed}',  # per 256: the runner scales it
        f'train_cfg.max_epochs={epochs}',
        f'param_scheduler.0.end={warmup}', f'param_scheduler.1.begin={warmup}',  # the cosine ends at max_epochs
        f'default_hooks.checkpoint.interval={epochs}',
    ]


def claim_work_dir(work_dir: Path, budget: str) -> None:
    """Runs are reused by folder, so one work dir holds one budget's runs."""
    work_dir.mkdir(parents=True, exist_ok=True)
    marker = work_dir / 'budget.txt'
    if marker.is_file() and marker.read_text().strip() != budget:
        raise ValueError(f'{work_dir} holds runs of budget {marker.read_text().strip()!r}, not {budget!r}; '
                         f'pass another --work-dir (the default is work_dirs/camvid_minirepro/{budget})')
    marker.write_text(budget + '\n')


def run_method(name: str, seed: int, budget: dict, frames: Path, args) -> dict:
    """Pre-train (unless random init), then probe and fine-tune; return the run's figures.

    A finished run's figures, its minutes included, are kept in ``result.json`` in its folder and read
    back instead of running again; an unfinished one resumes from the steps it completed."""
    run_dir = Path(args.work_dir) / name.replace(' ', '_').replace('/', '') / f'seed{seed}'
    record = run_dir / 'result.json'
    if record.is_file():
        return json.loads(record.read_text())
    run_dir.mkdir(parents=True, exist_ok=True)
    log = str(run_dir / 'run.log')
    start = time.time()
    checkpoint = 'random'
    if METHODS[name] is not None:
        config, base_lr, extra = METHODS[name]
        options = pretrain_options(budget, seed, frames, Path(args.data_root), base_lr) + extra
        checkpoint = pretrain(config, str(run_dir / 'pretrain'), options, log)
    pretrain_min = (time.time() - start) / 60
    data_root = f'{args.data_root}/'
    probe = evaluate(PROBE_CONFIG, checkpoint, str(run_dir / 'probe'), budget['probe_iters'], data_root, log,
                     seed=seed)
    finetune = evaluate(FINETUNE_CONFIG, checkpoint, str(run_dir / 'finetune'), budget['finetune_iters'],
                        data_root, log, seed=seed)
    result = dict(method=name, seed=seed, probe_miou=probe, finetune_miou=finetune,
                  minutes=(time.time() - start) / 60, pretrain_minutes=pretrain_min)
    record.write_text(json.dumps(result, indent=1))
    return result


def mean_std(values: list[float]) -> str:
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f'{statistics.mean(values):.2f} ± {std:.2f}'


def table(runs: list[dict], methods: list[str]) -> str:
    lines = ['| method | linear probe mIoU | FCN fine-tune mIoU | seeds |', '|---|---|---|---|']
    for name in methods:
        mine = [r for r in runs if r['method'] == name]
        if mine:
            lines.append(f'| {name} | {mean_std([r["probe_miou"] for r in mine])} | '
                         f'{mean_std([r["finetune_miou"] for r in mine])} | {len(mine)} |')
    return '\n'.join(lines) + '\n'


def main() -> None:
    args = parse_args()
    budget = BUDGETS[args.budget]
    args.work_dir = args.work_dir or str(ROOT / 'work_dirs/camvid_minirepro' / args.budget)
    work_dir = Path(args.work_dir)
    claim_work_dir(work_dir, args.budget)
    frames = frame_list(Path(args.data_root), work_dir / 'pretrain_frames.txt', budget['frames'])
    runs = []
    for seed in args.seeds:
        for name in args.methods:
            print(f'[minirepro] {name}, seed {seed}, budget {args.budget}', flush=True)
            runs.append(run_method(name, seed, budget, frames, args))
            print(f'[minirepro]   probe {runs[-1]["probe_miou"]:.2f}  fine-tune {runs[-1]["finetune_miou"]:.2f}'
                  f'  ({runs[-1]["minutes"]:.1f} min)', flush=True)
            (work_dir / 'results.json').write_text(json.dumps(runs, indent=1))
    result = (f'Budget `{args.budget}` ({budget}), batch {BATCH}, seeds {args.seeds}\n\n'
              + table(runs, args.methods))
    (work_dir / 'results.md').write_text(result)
    print(result)


if __name__ == '__main__':
    main()
