"""Plot the loss terms, lr and EMA momentum of one or more pre-training runs from their ``scalars.json``.

    python tools/analysis/plot_logs.py work_dirs/multisiam_r18_camvid work_dirs/byol_r18_camvid \
        --out curves.png [--keys loss loss_1d loss_2d lr ema_momentum]

Each run is a work dir (every ``*/vis_data/scalars.json`` under it, so a resumed run's sessions join into
one curve, the later session winning where iterations repeat) or one ``scalars.json``. One panel per
key, every run in each panel, against the iteration. Needs only matplotlib.
"""
import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

DEFAULT_KEYS = ('loss', 'loss_1d', 'loss_2d', 'lr', 'ema_momentum')


def scalar_files(run: str) -> list[Path]:
    """A run's ``scalars.json`` files, oldest session first (mmengine names sessions by timestamp)."""
    path = Path(run)
    files = [path] if path.is_file() else sorted(path.glob('*/vis_data/scalars.json'))
    if not files:
        raise FileNotFoundError(f'no scalars.json in {run}: give a work dir of tools/train.py or the file itself')
    return files


def read_series(files: list[Path]) -> dict[str, dict[int, float]]:
    """key -> {iteration: value} over the files in order; a later file overrides repeated iterations."""
    series: dict[str, dict[int, float]] = {}
    for file in files:
        for line in file.read_text().splitlines():
            record = json.loads(line)
            if 'iter' not in record or 'epoch' not in record:  # validation records have no training iter
                continue
            for key, value in record.items():
                if key not in ('iter', 'epoch', 'step') and isinstance(value, (int, float)):
                    series.setdefault(key, {})[record['iter']] = float(value)
    return series


def plot(runs: dict[str, dict[str, dict[int, float]]], keys: list[str], out: Path) -> list[str]:
    """One panel per key present in any run; returns the keys drawn."""
    drawn = [key for key in keys if any(key in series for series in runs.values())]
    if not drawn:
        raise ValueError(f'none of {keys} was logged by these runs')
    fig, axes = plt.subplots(len(drawn), 1, figsize=(8, 2.4 * len(drawn)), sharex=True, squeeze=False)
    for ax, key in zip(axes[:, 0], drawn):
        for label, series in runs.items():
            if key in series:
                iters = sorted(series[key])
                ax.plot(iters, [series[key][i] for i in iters], label=label)
        ax.set_ylabel(key)
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize='small')
    axes[-1, 0].set_xlabel('iteration')
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('runs', nargs='+', help='work dirs or scalars.json files')
    parser.add_argument('--keys', nargs='+', default=list(DEFAULT_KEYS), help='logged scalars to draw')
    parser.add_argument('--labels', nargs='+', help='legend names (default: the run paths)')
    parser.add_argument('--out', default='curves.png', help='PNG to write')
    args = parser.parse_args()
    labels = args.labels or args.runs
    if len(labels) != len(args.runs):
        raise ValueError(f'--labels needs one name per run ({len(args.runs)}), got {len(labels)}')
    runs = {label: read_series(scalar_files(run)) for label, run in zip(labels, args.runs)}
    drawn = plot(runs, args.keys, Path(args.out))
    print(f'wrote {args.out}: {", ".join(drawn)} of {len(runs)} run(s)')


if __name__ == '__main__':
    main()
