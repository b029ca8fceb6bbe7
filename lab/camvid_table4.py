"""The paper's Table 4 at its ablation length on CamVid: each row pre-trained 150 epochs per seed, in lanes.

Table 4's rows on the CamVid CPU recipe (``lab/camvid_runs.py`` METHODS; rows 3 and 4 are
``configs/ablations/camvid/``), each run by ``lab/camvid_curves.py`` for 150 epochs (a checkpoint kept every
25 epochs to resume from; the final one measured with the three instruments: the table needs no curve, and
each measurement costs a sixth of a run's time on one thread), one work dir per run so that lanes never
share a results file. The jobs are dealt round-robin to ``--lanes`` lanes, the required ones first (rows
1, 2, 5 with seeds 0 and 1), then rows 3 and 4; a lane runs its jobs one after the other, and running a
lane again skips what is finished and resumes what is not (``--resume`` inside the epoch). ``--epochs``
and ``--max-runs`` shorten it only to rehearse (``lab/device/table4_evidence.sh --tiny``).

    nice -n 19 python -m lab.camvid_table4 --lane 0 --lanes 2 &    # one thread each (OMP_NUM_THREADS=1)
    nice -n 19 python -m lab.camvid_table4 --lane 1 --lanes 2 &
    python -m lab.camvid_table4 --status                           # where every run stands

Run it from a fixed commit in a checkout of its own, so that later changes to main cannot break a run
mid-way (docs/results.md records the commit).

The paper's metric, the fine-tune (``lab.camvid_runs.FINETUNE_CONFIG``), runs in lanes of its own once the
length is chosen (``lab/camvid_finetune_curve.py``): every finished 150-epoch checkpoint, and random init,
fine-tuned with each of ``FINETUNE_SEEDS``; a checkpoint not finished yet is left for a later pass.

    nice -n 19 python -m lab.camvid_table4 --finetune ITERS --lane 0 --lanes 2 &   # (an environment with mmcv's ops)

``lab/table4_report.py`` turns the records into the table.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

from lab.camvid_runs import CAMVID_ROOT, FINETUNE_CONFIG, evaluate, finished_checkpoint, run_name
from multisiam_mm.checkpoints import latest_checkpoint

ROOT = Path(__file__).resolve().parents[1]
EPOCHS = 150  # the paper's ablation length (Sec. 4.3)
EVERY = 25  # epochs between kept checkpoints
#: Table 4's rows in the order they are run: the required rows with both seeds, then rows 3 and 4
ROWS = ['BYOL', 'MultiSiam', 'BYOL + IoU threshold', '+ L_cluster', '+ self-attention']
REQUIRED = ROWS[:3]
SEEDS = [0, 1]
JOBS = ([(row, seed) for row in REQUIRED for seed in SEEDS]
        + [(row, seed) for seed in SEEDS for row in ROWS[3:]])
#: the seeds of the fine-tune runs of every checkpoint (random init's backbone is drawn from the fine-tune's
#: seed, so its fine-tune with seed s is its pre-training seed s: one fine-tune each)
FINETUNE_SEEDS = [0, 1]


def run_dir(work_dir: Path, row: str, seed: int) -> Path:
    """The work dir of one row and seed (camvid_curves' ``--work-dir``)."""
    return work_dir / f'{run_name(row)}_seed{seed}'


def pretrain_dir(work_dir: Path, row: str, seed: int, epochs: int = EPOCHS) -> Path:
    """The pre-training work dir of one row and seed (inside :func:`run_dir`, as camvid_curves names it)."""
    return run_dir(work_dir, row, seed) / run_name(row) / f'{epochs}e' / f'seed{seed}' / 'pretrain'


def instruments(work_dir: Path, row: str, seed: int, epochs: int = EPOCHS) -> dict:
    """The three instruments' record of the run's final checkpoint, or of random init (``row`` 'random
    init', recorded by every run of that seed), from camvid_curves' ``curves.json``; {} if not measured."""
    record = run_dir(work_dir, ROWS[0] if row == 'random init' else row, seed) / 'curves.json'
    key = f'random init/seed{seed}' if row == 'random init' else f'{row}/{epochs}e/seed{seed}/epoch{epochs}'
    return json.loads(record.read_text()).get(key, {}) if record.is_file() else {}


def status(work_dir: Path, row: str, seed: int, epochs: int = EPOCHS) -> str:
    """'finished ...', 'pre-trained ...', 'resumes from CHECKPOINT' or 'not started', from the run's own files."""
    if instruments(work_dir, row, seed, epochs):
        return f'finished (measured at epoch {epochs})'
    pretrain = pretrain_dir(work_dir, row, seed, epochs)
    if finished_checkpoint(str(pretrain)):
        return f'pre-trained {epochs} epochs; its final checkpoint\'s instruments are being measured'
    checkpoint = latest_checkpoint(str(pretrain)) if pretrain.is_dir() else None
    return f'resumes from {checkpoint}' if checkpoint else 'not started'


def finetune_dir(work_dir: Path, row: str, seed: int, finetune_seed: int) -> Path:
    """The work dir of one fine-tune: the checkpoint of ``row`` and pre-training ``seed``, fine-tune seed."""
    return work_dir / 'finetune' / f'{run_name(row)}_seed{seed}' / f'finetune_seed{finetune_seed}'


def finetune_jobs() -> list[tuple[str, int, int]]:
    """(row, pre-training seed, fine-tune seed) of every fine-tune, random init's first."""
    return ([('random init', seed, seed) for seed in SEEDS]
            + [(row, seed, finetune_seed) for row, seed in JOBS for finetune_seed in FINETUNE_SEEDS])


def finetune_lane(work_dir: Path, iters: int, data_root: str, lane: int, lanes: int) -> None:
    """Fine-tune this lane's share of :func:`finetune_jobs` whose pre-training has finished (its final
    checkpoint, whether or not its instruments are measured yet); done ones are reused
    (``camvid_runs.evaluate``), unfinished pre-trainings are named and left for a later pass."""
    for row, seed, finetune_seed in finetune_jobs()[lane::lanes]:
        checkpoint = 'random' if row == 'random init' else finished_checkpoint(str(pretrain_dir(work_dir, row, seed)))
        if checkpoint is None:
            print(f'[table4] lane {lane}: {row} seed {seed} is not finished; its fine-tune waits', flush=True)
            continue
        out = finetune_dir(work_dir, row, seed, finetune_seed)
        out.parent.mkdir(parents=True, exist_ok=True)
        miou = evaluate(FINETUNE_CONFIG, checkpoint, str(out), iters, data_root, seed=finetune_seed,
                        log_file=str(out.parent / f'finetune_seed{finetune_seed}.log'))
        print(f'[table4] lane {lane}: {row} seed {seed}, fine-tune seed {finetune_seed}: mIoU {miou:.2f}', flush=True)


def curves_command(work_dir: Path, row: str, seed: int, args: argparse.Namespace) -> list:
    """The camvid_curves run of one row and seed: ``args.epochs`` epochs, a checkpoint kept every
    :data:`EVERY` (a run resumes from the last one) and the final one measured."""
    workers = [] if args.workers is None else ['--workers', str(args.workers)]
    every = EVERY if args.epochs % EVERY == 0 else args.epochs
    return [sys.executable, '-m', 'lab.camvid_curves', '--methods', row, '--epochs', str(args.epochs),
            '--every', str(every), '--measure-every', str(args.epochs), '--seed', str(seed),
            '--data-root', args.data_root, *workers, '--work-dir', str(run_dir(work_dir, row, seed))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--lane', type=int, default=0)
    parser.add_argument('--lanes', type=int, default=1)
    parser.add_argument('--work-dir', default=str(ROOT / 'work_dirs/camvid_table4'))
    parser.add_argument('--status', action='store_true', help='print where every run stands and exit')
    parser.add_argument('--finetune', type=int, metavar='ITERS',
                        help='fine-tune the finished checkpoints for ITERS iterations instead of pre-training')
    parser.add_argument('--data-root', default=str(CAMVID_ROOT))
    parser.add_argument('--epochs', type=int, default=EPOCHS,
                        help=f'pre-training epochs (default {EPOCHS}, the paper\'s; fewer only to rehearse)')
    parser.add_argument('--max-runs', type=int, help='run at most the first N of this lane\'s jobs (a rehearsal)')
    parser.add_argument('--workers', type=int,
                        help='dataloader workers of each pre-training (a machine setting, not the recipe\'s)')
    args = parser.parse_args()
    if not 0 <= args.lane < args.lanes:
        parser.error(f'--lane must be in [0, {args.lanes}), got {args.lane}')
    if args.finetune and args.epochs != EPOCHS:
        parser.error(f'the fine-tune lanes read {EPOCHS}-epoch checkpoints; drop --epochs {args.epochs}')
    work_dir = Path(args.work_dir)
    if args.status:
        for row, seed in JOBS:
            print(f'{row:>22} seed {seed}: {status(work_dir, row, seed, args.epochs)}')
        return
    if args.finetune:
        finetune_lane(work_dir, args.finetune, args.data_root, args.lane, args.lanes)
        return
    for row, seed in JOBS[args.lane::args.lanes][:args.max_runs]:
        print(f'[table4] lane {args.lane}: {row}, seed {seed}', flush=True)
        subprocess.run(curves_command(work_dir, row, seed, args), cwd=ROOT, check=True)


if __name__ == '__main__':
    main()
