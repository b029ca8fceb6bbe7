"""CamVid mini-reproduction: does MultiSiam do what the paper claims, on real street frames, on one CPU?

Pre-trains each method on the CamVid train+val frames (labels unused) with one fixed budget (ResNet-18,
same crop size, epochs, batch and seeds for all), then evaluates every checkpoint with the deterministic
CamVid dense probe (``multisiam_mm/evaluation/dense_probe.py``) and the FCN fine-tune (train -> val), and
writes one table, method x metric, mean and std over seeds. Finished runs are reused, so an interrupted
reproduction resumes where it stopped.

    python -m lab.camvid_minirepro                         # budget 'cpu', seeds 0 1
    python -m lab.camvid_minirepro --budget gpu --seeds 0 1 2

The table goes to ``WORK_DIR/results.md`` (and every run's figures to ``WORK_DIR/results.json``).
"""
import argparse
import json
import statistics
import time
from pathlib import Path

from lab.camvid_runs import (BATCH, CAMVID_ROOT, FINETUNE_CONFIG, METHODS, evaluate, frame_list, pretrain,
                             pretrain_options, run_name)
from multisiam_mm.evaluation import probe_checkpoint

ROOT = Path(__file__).resolve().parents[1]

#: budget -> pre-training epochs over the 468 frames (batch 32: 14 iterations each) and fine-tune
#: iterations; the dense probe is trained to convergence whatever the budget
BUDGETS = {
    'smoke': dict(epochs=2, frames=64, finetune_iters=4),
    'cpu': dict(epochs=10, frames=None, finetune_iters=200),
    'gpu': dict(epochs=200, frames=None, finetune_iters=1000),
}


#: the methods of the mini-reproduction's table (Table 4's rows 3 and 4 are lab/camvid_table4.py's)
MINIREPRO_METHODS = [name for name in METHODS if not name.startswith('+ ')]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data-root', default=str(CAMVID_ROOT),
                        help='CamVid root with train/, val/, trainannot/, valannot/, train.txt, val.txt')
    parser.add_argument('--work-dir', help='defaults to work_dirs/camvid_minirepro/BUDGET')
    parser.add_argument('--budget', choices=sorted(BUDGETS), default='cpu')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1])
    parser.add_argument('--methods', nargs='+', choices=list(METHODS), default=MINIREPRO_METHODS)
    return parser.parse_args()


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
    run_dir = Path(args.work_dir) / run_name(name).replace('/', '') / f'seed{seed}'
    record = run_dir / 'result.json'
    if record.is_file():
        return json.loads(record.read_text())
    run_dir.mkdir(parents=True, exist_ok=True)
    log = str(run_dir / 'run.log')
    start = time.time()
    checkpoint = 'random'
    if METHODS[name] is not None:
        config, base_lr, extra = METHODS[name]
        options = pretrain_options(budget['epochs'], seed, frames, Path(args.data_root), base_lr) + extra
        checkpoint = pretrain(config, str(run_dir / 'pretrain'), options, log)
    pretrain_min = (time.time() - start) / 60
    data_root = f'{args.data_root}/'
    probe = probe_checkpoint(checkpoint, args.data_root, cache_dir=str(run_dir / 'probe_cache'), seed=seed)
    finetune = evaluate(FINETUNE_CONFIG, checkpoint, str(run_dir / 'finetune'), budget['finetune_iters'],
                        data_root, log, seed=seed)
    result = dict(method=name, seed=seed, probe_miou=probe['mIoU'], probe_iou=probe['IoU'],
                  finetune_miou=finetune,
                  minutes=(time.time() - start) / 60, pretrain_minutes=pretrain_min)
    record.write_text(json.dumps(result, indent=1))
    return result


def mean_std(values: list[float]) -> str:
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f'{statistics.mean(values):.2f} ± {std:.2f}'


def table(runs: list[dict], methods: list[str]) -> str:
    lines = ['| method | dense probe mIoU | FCN fine-tune mIoU | seeds |', '|---|---|---|---|']
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
