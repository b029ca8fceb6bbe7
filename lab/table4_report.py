"""The paper's Table 4 at CamVid scale, read: every row's figures over seeds, and whether each row beats the
one above it by more than the seeds' noise.

Reads what ``lab/camvid_table4.py`` recorded in its work dir: the three instruments of each run's epoch-150
checkpoint and of random init (``curves.json``), and the fine-tunes (``finetune/``). A row's figure on an
instrument is the mean over its pre-training seeds, its spread the half range over them; on the fine-tune,
each pre-training seed's figure is first the mean over its fine-tune seeds. Table 4 reads downwards (each
row adds one component, and the paper's mIoU rises at every step), so for each adjacent pair the gap
``lower row - upper row`` is called

- ``holds`` when it exceeds twice the larger of the two spreads,
- ``reversed`` when it is below minus twice that spread,
- ``within noise`` otherwise, and ``one seed`` when a row has fewer than two seeds (no gap is claimed).

    python -m lab.table4_report --work-dir ../runs33/src/work_dirs/camvid_table4 [--json table4.json]
"""
import argparse
import json
from pathlib import Path
from typing import NamedTuple, Optional

from lab.camvid_runs import last_metric
from lab.camvid_table4 import EPOCHS, FINETUNE_SEEDS, SEEDS, finetune_dir, instruments

ROOT = Path(__file__).resolve().parents[1]
#: Table 4's rows top to bottom, random init above them, with the paper's Cityscapes fine-tune mIoU
PAPER = {'random init': None, 'BYOL': 67.2, 'BYOL + IoU threshold': 69.2, '+ L_cluster': 70.0,
         '+ self-attention': 71.2, 'MultiSiam': 71.9}
#: what each instrument column reads off an instruments record (camvid_curves' PANELS, by short name)
INSTRUMENTS = {'probe': lambda r: r['mIoU'],
               'unsupervised': lambda r: r['unsupervised']['mIoU'],
               '4 frames': lambda r: r['label_efficiency']['4']['mean']}
MEASURES = ['fine-tune', *INSTRUMENTS]


class Figure(NamedTuple):
    """A row's figure on one measure: mean and half range over its pre-training seeds."""
    mean: float
    spread: float
    seeds: int


def figure(per_seed: dict[int, float]) -> Optional[Figure]:
    """Mean and half range ``(max - min) / 2`` of the per-seed values; None without any."""
    if not per_seed:
        return None
    values = list(per_seed.values())
    return Figure(sum(values) / len(values), (max(values) - min(values)) / 2, len(values))


def gap_verdict(upper: Figure, lower: Figure) -> str:
    """``lower.mean - upper.mean`` against twice the larger spread (the module's docstring names the cases)."""
    if min(upper.seeds, lower.seeds) < 2:
        return 'one seed'
    gap, noise = lower.mean - upper.mean, 2 * max(upper.spread, lower.spread)
    return 'holds' if gap > noise else 'reversed' if gap < -noise else 'within noise'


def finetune_runs(work_dir: Path, row: str, seed: int) -> list[Optional[float]]:
    """The fine-tune mIoU of one checkpoint per fine-tune seed (None: not run yet); random init's backbone
    is drawn from the fine-tune seed, so its one fine-tune is seed ``seed``'s."""
    finetune_seeds = [seed] if row == 'random init' else FINETUNE_SEEDS
    return [last_metric(str(finetune_dir(work_dir, row, seed, f))) for f in finetune_seeds]


def finetune_value(runs: list[Optional[float]]) -> Optional[float]:
    """The fine-tune mIoU of one checkpoint: the mean of its :func:`finetune_runs`, once all have run."""
    return None if None in runs else sum(runs) / len(runs)


def per_seed_values(records: dict[int, dict], finetunes: dict[int, list]) -> dict[str, dict[int, float]]:
    """measure -> {pre-training seed: value} of every seed measured so far (``records``: the row's
    instruments record per seed, :func:`lab.camvid_table4.instruments`; ``finetunes``: its
    :func:`finetune_runs` per seed)."""
    values = {measure: {} for measure in MEASURES}
    for seed in SEEDS:
        finetune = finetune_value(finetunes[seed])
        if finetune is not None:
            values['fine-tune'][seed] = finetune
        if records[seed]:
            for name, read in INSTRUMENTS.items():
                values[name][seed] = read(records[seed])
    return values


def per_class_probe(records: dict[int, dict]) -> dict[str, float]:
    """The probe's IoU per class, mean over the row's measured seeds ({} when none is measured)."""
    ious = [record['IoU'] for record in records.values() if record]
    return {name: sum(iou[name] for iou in ious) / len(ious) for name in ious[0]} if ious else {}


def _cell(fig: Optional[Figure]) -> str:
    return '-' if fig is None else f'{fig.mean:.2f} ± {fig.spread:.2f}' + ('' if fig.seeds > 1 else ' (1 seed)')


def report(work_dir: Path, epochs: int = EPOCHS) -> dict:
    """Every row's figures, the verdict of each adjacent pair per measure, and the per-class probe IoUs, of
    the ``epochs``-epoch runs."""
    # every record and fine-tune log read once
    records = {row: {seed: instruments(work_dir, row, seed, epochs) for seed in SEEDS} for row in PAPER}
    finetunes = {row: {seed: finetune_runs(work_dir, row, seed) for seed in SEEDS} for row in PAPER}
    figures = {row: {m: figure(v) for m, v in per_seed_values(records[row], finetunes[row]).items()} for row in PAPER}
    rows = list(PAPER)
    pairs = {f'{upper} -> {lower}': {m: None if figures[upper][m] is None or figures[lower][m] is None else
                                     dict(gap=figures[lower][m].mean - figures[upper][m].mean,
                                          verdict=gap_verdict(figures[upper][m], figures[lower][m]))
                                     for m in MEASURES}
             for upper, lower in zip(rows, rows[1:])}
    return dict(figures={row: {m: None if f is None else f._asdict() for m, f in fig.items()}
                         for row, fig in figures.items()},
                pairs=pairs, per_class_probe={row: per_class_probe(records[row]) for row in rows},
                finetune_runs={row: {seed: runs for seed, runs in finetunes[row].items() if any(runs)} for row in rows})


def markdown(result: dict) -> str:
    """The two tables of docs/results.md: rows with the paper's figure, then the adjacent pairs; then every
    fine-tune run's mIoU."""
    lines = ['| row | paper (Cityscapes fine-tune) | ' + ' | '.join(MEASURES) + ' |',
             '|---|---|' + '---|' * len(MEASURES)]
    for row, figs in result['figures'].items():
        paper = '-' if PAPER[row] is None else f'{PAPER[row]:.1f}'
        cells = [_cell(None if figs[m] is None else Figure(**figs[m])) for m in MEASURES]
        lines.append(f'| {row} | {paper} | ' + ' | '.join(cells) + ' |')
    lines += ['', '| pair (gap = lower row - upper row) | ' + ' | '.join(MEASURES) + ' |',
              '|---|' + '---|' * len(MEASURES)]
    for pair, by_measure in result['pairs'].items():
        cells = ['-' if v is None else f'{v["gap"]:+.2f} {v["verdict"]}' for v in by_measure.values()]
        lines.append(f'| {pair} | ' + ' | '.join(cells) + ' |')
    runs = [f'{row} seed {seed}: ' + ', '.join('-' if v is None else f'{v:.2f}' for v in values)
            for row, by_seed in result['finetune_runs'].items() for seed, values in by_seed.items()]
    if runs:  # the fine-tune seeds' own spread, which the row's figure averages away
        lines += ['', f'Fine-tune runs (pre-training seed: fine-tune seeds {", ".join(map(str, FINETUNE_SEEDS))}; '
                  'random init: its own seed): ' + '; '.join(runs) + '.']
    return '\n'.join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--work-dir', default=str(ROOT / 'work_dirs/camvid_table4'))
    parser.add_argument('--json', help='also write the figures, verdicts and per-class IoUs here')
    parser.add_argument('--epochs', type=int, default=EPOCHS, help='the runs\' pre-training epochs')
    args = parser.parse_args()
    result = report(Path(args.work_dir), args.epochs)
    print(markdown(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == '__main__':
    main()
