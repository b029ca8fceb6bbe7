"""The paper's Table 4 at its ablation length on CamVid: each row pre-trained 150 epochs per seed, in lanes.

Table 4's rows on the CamVid CPU recipe (``lab/camvid_runs.py`` METHODS; rows 3 and 4 are
``configs/ablations/camvid/``), each run the 150-epoch curve of ``lab/camvid_curves.py`` (a checkpoint every
25 epochs, each measured with the three instruments), one work dir per run so that lanes never share a
results file. The jobs are dealt round-robin to ``--lanes`` lanes, the required ones first (rows 1, 2, 5
with seeds 0 and 1), then rows 3 and 4; a lane runs its jobs one after the other, and running a lane
again skips what is finished and resumes what is not (``--resume`` inside the epoch).

    nice -n 19 python -m lab.camvid_table4 --lane 0 --lanes 2 &    # one thread each (OMP_NUM_THREADS=1)
    nice -n 19 python -m lab.camvid_table4 --lane 1 --lanes 2 &
    python -m lab.camvid_table4 --status                           # where every run stands

Run it from a fixed commit in a checkout of its own, so that later changes to main cannot break a run
mid-way (docs/results.md records the commit).
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

from multisiam_mm.checkpoints import latest_checkpoint

ROOT = Path(__file__).resolve().parents[1]
EPOCHS = 150  # the paper's ablation length (Sec. 4.3)
EVERY = 25
#: Table 4's rows in the order they are run: the required rows with both seeds, then rows 3 and 4
ROWS = ['BYOL', 'MultiSiam', 'BYOL + IoU threshold', '+ L_cluster', '+ self-attention']
REQUIRED = ROWS[:3]
SEEDS = [0, 1]
JOBS = ([(row, seed) for row in REQUIRED for seed in SEEDS]
        + [(row, seed) for seed in SEEDS for row in ROWS[3:]])


def run_dir(work_dir: Path, row: str, seed: int) -> Path:
    """The work dir of one row and seed (camvid_curves' ``--work-dir``)."""
    return work_dir / f'{row.replace(" ", "_")}_seed{seed}'


def status(work_dir: Path, row: str, seed: int) -> str:
    """'finished ...', 'resumes from CHECKPOINT' or 'not started', from the run's own files."""
    curves = run_dir(work_dir, row, seed)
    pretrain = curves / row.replace(' ', '_') / f'{EPOCHS}e' / f'seed{seed}' / 'pretrain'
    record = curves / 'curves.json'
    measured = json.loads(record.read_text()) if record.is_file() else {}
    if any(key.endswith(f'epoch{EPOCHS}') for key in measured):
        return 'finished (measured at epoch 150)'
    checkpoint = latest_checkpoint(str(pretrain)) if pretrain.is_dir() else None
    return f'resumes from {checkpoint}' if checkpoint else 'not started'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--lane', type=int, default=0)
    parser.add_argument('--lanes', type=int, default=1)
    parser.add_argument('--work-dir', default=str(ROOT / 'work_dirs/camvid_table4'))
    parser.add_argument('--status', action='store_true', help='print where every run stands and exit')
    args = parser.parse_args()
    if not 0 <= args.lane < args.lanes:
        parser.error(f'--lane must be in [0, {args.lanes}), got {args.lane}')
    work_dir = Path(args.work_dir)
    if args.status:
        for row, seed in JOBS:
            print(f'{row:>22} seed {seed}: {status(work_dir, row, seed)}')
        return
    for row, seed in JOBS[args.lane::args.lanes]:
        print(f'[table4] lane {args.lane}: {row}, seed {seed}', flush=True)
        subprocess.run([sys.executable, '-m', 'lab.camvid_curves', '--methods', row, '--epochs', str(EPOCHS),
                        '--every', str(EVERY), '--seed', str(seed),
                        '--work-dir', str(run_dir(work_dir, row, seed))], cwd=ROOT, check=True)


if __name__ == '__main__':
    main()
