"""How long must the CamVid fine-tune run before it ranks two backbones for good? One long curve each.

The paper's metric is a fine-tune (FCN-16s, ``configs/benchmarks/mmsegmentation/camvid/fcn-16s_r18_1k.py``).
Before every Table 4 checkpoint is fine-tuned, one long fine-tune of random init and one of a pre-trained
checkpoint are validated every ``--every`` iterations; the length chosen is the first validation point
from which the ranking of the two never changes again, unless the time bound (``--max-minutes`` a
fine-tune, measured on the run itself) comes first (:func:`choose_length` says which bound chose it).
Each curve is one run whose poly lr ends at ``--iters``: a shorter fine-tune has its own schedule, so the
curve's points approximate, not equal, shorter runs.

    python -m lab.camvid_finetune_curve --checkpoint work_dirs/camvid_table4/.../epoch_150.pth --iters 1000 --every 100

Runs already in ``--work-dir`` are reused (``camvid_runs.evaluate``); writes ``WORK_DIR/curve.json``.
"""
import argparse
import json
from pathlib import Path
from typing import Optional

from lab.camvid_runs import CAMVID_ROOT, FINETUNE_CONFIG, evaluate, run_name, scalar_records

ROOT = Path(__file__).resolve().parents[1]


def metric_curve(work_dir: Path, key: str = 'mIoU') -> dict[int, float]:
    """iteration -> ``key`` at each validation of the runs in ``work_dir``."""
    return {int(record['step']): float(record[key]) for record in scalar_records(work_dir) if key in record}


def run_minutes(work_dir: Path) -> Optional[float]:
    """The training's wall time in minutes: the mean logged iteration time times the iterations run."""
    # validation records carry a 'time' too, but no 'iter'
    times = {record['iter']: record['time'] for record in scalar_records(work_dir) if 'iter' in record}
    if not times:
        return None
    return sum(times.values()) / len(times) * max(times) / 60


def choose_length(baseline: dict[int, float], pretrained: dict[int, float], minutes_per_iter: float,
                  max_minutes: float) -> dict:
    """The first validation point after which ``pretrained - baseline`` keeps its sign to the end of the
    curve, or the last point within ``max_minutes`` if that comes first; says which bound chose it."""
    points = sorted(set(baseline) & set(pretrained))
    if not points:
        raise ValueError('the two curves share no validation point')
    signs = [pretrained[i] > baseline[i] for i in points]
    stable = next(i for k, i in enumerate(points) if all(s == signs[k] for s in signs[k:]))
    affordable = [i for i in points if i * minutes_per_iter <= max_minutes]
    cap = affordable[-1] if affordable else points[0]
    if stable <= cap:
        return dict(iters=stable, bound='ranking stable from here to the end of the curve',
                    ranking='pretrained above' if signs[points.index(stable)] else 'baseline above')
    return dict(iters=cap, bound=f'time: the ranking settles at {stable} iterations, past {max_minutes:g} min',
                ranking='pretrained above' if signs[points.index(cap)] else 'baseline above')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--checkpoint', required=True, help='the pre-trained checkpoint of the curve')
    parser.add_argument('--data-root', default=str(CAMVID_ROOT))
    parser.add_argument('--work-dir', default=str(ROOT / 'work_dirs/camvid_finetune_curve'))
    parser.add_argument('--iters', type=int, default=1000)
    parser.add_argument('--every', type=int, default=100, help='validate every N iterations')
    parser.add_argument('--max-minutes', type=float, default=20.0, help='the time bound of one fine-tune')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    work_dir = Path(args.work_dir)
    curves, minutes = {}, {}
    for name, source in (('random init', 'random'), ('pretrained', args.checkpoint)):
        run_dir = work_dir / run_name(name)
        evaluate(FINETUNE_CONFIG, source, str(run_dir), args.iters, args.data_root, seed=args.seed,
                 options=[f'train_cfg.val_interval={args.every}'])
        curves[name], minutes[name] = metric_curve(run_dir), run_minutes(run_dir)
    per_iter = max(minutes.values()) / args.iters
    choice = choose_length(curves['random init'], curves['pretrained'], per_iter, args.max_minutes)
    result = dict(curves=curves, minutes=minutes, choice=choice, checkpoint=args.checkpoint, seed=args.seed)
    (work_dir / 'curve.json').write_text(json.dumps(result, indent=1))
    print('| iterations | random init mIoU | pretrained mIoU |\n|---|---|---|')
    for i in sorted(curves['pretrained']):
        print(f'| {i} | {curves["random init"].get(i, float("nan")):.2f} | {curves["pretrained"][i]:.2f} |')
    print(f'chosen: {choice["iters"]} iterations ({choice["bound"]}; {choice["ranking"]}); '
          f'{per_iter * choice["iters"]:.1f} min a fine-tune')


if __name__ == '__main__':
    main()
