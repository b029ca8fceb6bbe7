"""The README's main job: pre-train MultiSiam on the bundled CamVid frames and show what it learned.

1. pre-trains ``configs/multisiam_r18_camvid.py`` (ResNet-18, 128 px) on ``demo/camvid/train``
   (progress and ETA in the log lines);
2. draws the K-means clusters of the backbone's final map (paper Fig. 6) for a few val frames, random
   init beside MultiSiam;
3. measures the checkpoint and a random backbone with two instruments on the demo val frames (frozen
   backbone, full frames, cached features; ``multisiam_mm/evaluation/``): the deterministic dense
   linear probe fit on the demo train frames' labels, and unsupervised segmentation (K-means of the
   features, clusters matched to the classes); the table says in a line each what they measure (the same
   checkpoint gives the same figures every run).
Steps whose results exist in the work dir are reused. Usage, from the repo root, in the host's environment:
``python -m lab.demo [--work-dir DIR] [--host mmselfsup|mmpretrain]`` (``bash tools/run_demo.sh`` picks it).
"""
import argparse
import os.path as osp
import subprocess
import sys
import time
from pathlib import Path

from lab.camvid_runs import pretrain
from multisiam_mm.apis import visualize_clusters
from multisiam_mm.evaluation import evaluate_backbone

ROOT = Path(__file__).resolve().parents[1]

#: the demo's config under each host: the same recipe, the host's two lines
CONFIGS = {'mmselfsup': 'configs/multisiam_r18_camvid.py', 'mmpretrain': 'configs/mmpretrain/multisiam_r18_camvid.py'}
DATA_ROOT = 'demo/camvid/'
#: instrument -> (column, what it measures), for the demo's table
INSTRUMENTS = {
    'probe': ('linear-probe mIoU', 'a per-pixel linear classifier fit on the frozen features with the train '
              "frames' labels: what a supervised readout gets (position and local colour count)"),
    'unsupervised': ('unsupervised segmentation mIoU', 'K-means of the frozen features, clusters matched to the '
                     'classes, no label used to fit: whether the features group pixels by content'),
}


def summary_table(scores: dict) -> str:
    """The demo's table: one row per backbone, one column per instrument, and a line on each instrument."""
    header = '| backbone | ' + ' | '.join(column for column, _ in INSTRUMENTS.values()) + ' |'
    rows = [header, '|---' * (1 + len(INSTRUMENTS)) + '|']
    rows += [f'| {name} | ' + ' | '.join(f'{result[key]["mIoU"]:.2f}' for key in INSTRUMENTS) + ' |'
             for name, result in scores.items()]
    notes = [f'- {column}: {meaning}.' for column, meaning in INSTRUMENTS.values()]
    return '\n'.join(rows + ['', '(CamVid demo val frames.)'] + notes) + '\n'


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--work-dir', default=str(ROOT / 'work_dirs/demo'))
    parser.add_argument('--epochs', type=int, default=40, help='pre-training epochs over the 31 frames')
    parser.add_argument('--frames', type=int, default=3, help='val frames in the cluster picture')
    parser.add_argument('--host', choices=sorted(CONFIGS), default='mmselfsup',
                        help="the self-supervised host (run in that host's environment)")
    return parser.parse_args()


def banner(text: str) -> None:
    print(f'\n=== {text} ===', flush=True)


def main() -> None:
    args = parse_args()
    work_dir = Path(args.work_dir).resolve()
    start = time.time()

    banner(f'1/3 pre-training MultiSiam on {DATA_ROOT}train ({args.epochs} epochs, {args.host})')
    config = CONFIGS[args.host]
    checkpoint = pretrain(config, str(work_dir / 'pretrain'), [f'train_cfg.max_epochs={args.epochs}'])

    banner('2/3 clusters of the final feature map (K=3), random init vs MultiSiam')
    frames = sorted((ROOT / DATA_ROOT / 'val').glob('*.jpg'))[::3][:args.frames]
    clusters = work_dir / 'clusters.png'
    visualize_clusters.main([str(ROOT / config), f'random,multisiam={checkpoint}', *map(str, frames),
                             '--out', str(clusters)])

    banner('3/3 linear probe and unsupervised segmentation (frozen backbone, full frames), random init vs MultiSiam')
    scores = {}
    for name, source in (('random', 'random'), ('multisiam', checkpoint)):
        scores[name] = evaluate_backbone(source, str(ROOT / DATA_ROOT), str(work_dir / 'probe_cache'),
                                         instruments=tuple(INSTRUMENTS))
        print(f'{name}: ' + ', '.join(f'{column} {scores[name][key]["mIoU"]:.2f}'
                                      for key, (column, _) in INSTRUMENTS.items()), flush=True)

    summary = work_dir / 'summary.md'
    summary.write_text(summary_table(scores))
    banner(f'done in {(time.time() - start) / 60:.1f} min')
    print(summary.read_text())
    print(f'checkpoint:     {checkpoint}\ncluster image:  {clusters}\nsummary:        {summary}')
    print(f'training logs:  {osp.dirname(checkpoint)}')


if __name__ == '__main__':
    try:
        main()
    except subprocess.CalledProcessError as error:
        sys.exit(f'demo step failed with exit code {error.returncode}: {" ".join(error.cmd)}')
