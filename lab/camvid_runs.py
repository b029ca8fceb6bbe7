"""The CamVid evaluation protocol as subprocess steps: pre-train, linear-probe, fine-tune, read mIoU.

Shared by the demo (``lab/demo.py``), the mini-reproduction (``lab/camvid_minirepro.py``) and the learning
curves (``lab/camvid_curves.py``), which also share one pre-training recipe
(:func:`pretrain_options`). Every step runs the package's own entry points as a subprocess
(``python -m multisiam_mm.apis.train`` and ``.train_downstream``, what ``tools/train.py`` and
``tools/benchmarks/mmseg_train.sh`` run), so what they measure is exactly what a user's command gives; a
step whose work dir already holds its result is reused, not redone. Config paths are relative to the repo
root, the steps' working directory.
"""
import json
import os.path as osp
import subprocess
import sys
from pathlib import Path
from typing import Iterator, Optional, Sequence

from multisiam_mm.checkpoints import latest_checkpoint

ROOT = Path(__file__).resolve().parents[1]
FINETUNE_CONFIG = 'configs/benchmarks/mmsegmentation/camvid/fcn-16s_r18_1k.py'
#: the shared CamVid frames beside the checkout: every CamVid tool's default ``--data-root``
CAMVID_ROOT = ROOT.parent / 'shared/data/camvid'


def run_name(name: str) -> str:
    """A method's or Table 4 row's name as a folder name (``'BYOL + IoU threshold'`` -> ``BYOL_+_IoU_threshold``)."""
    return name.replace(' ', '_')

#: method -> (pre-training config, lr per 256 images, extra options); None: random init, no pre-training.
#: LARS methods use the paper's base lr 1.0, the MoCo-based variant MoCo v2's SGD lr 0.03.
METHODS = {
    'random init': None,
    'BYOL': ('configs/baselines/byol_r18_camvid.py', 1.0, []),
    'BYOL + IoU threshold': ('configs/baselines/byol-iou_r18_camvid.py', 1.0, []),
    'MultiSiam': ('configs/multisiam_r18_camvid.py', 1.0, []),
    # Table 4 rows 3 and 4: MultiSiam with RoI alignment, without and with the self-attention
    '+ L_cluster': ('configs/ablations/camvid/table4_row3_cluster_r18_camvid.py', 1.0, []),
    '+ self-attention': ('configs/ablations/camvid/table4_row4_attention_r18_camvid.py', 1.0, []),
    'MultiSiam w/o K-means': ('configs/multisiam_r18_camvid.py', 1.0, ['model.head_2d.clustering=None']),
    'MultiSiam (MoCo-based)': ('configs/multisiam-moco_r18_camvid.py', 0.03, []),
}
#: pre-training batch of every CamVid method (468 frames: 14 iterations an epoch)
BATCH = 32


def frame_list(data_root: Path, out: Path, limit: Optional[int] = None) -> Path:
    """The train + val frames as paths relative to ``data_root`` (the pre-training set; no labels)."""
    stems = [f'{split}/{stem}.jpg' for split in ('train', 'val')
             for stem in (data_root / f'{split}.txt').read_text().split()]
    out.write_text('\n'.join(stems[:limit]) + '\n')
    return out


def pretrain_options(epochs: int, seed: int, frames: Path, data_root: Path, base_lr: float,
                     checkpoint_every: Optional[int] = None) -> list:
    """The shared recipe: same data, epochs, batch, lr scaling and seed for every method.

    One warm-up epoch per ten, then the cosine to ``epochs``; a checkpoint at the end, or every
    ``checkpoint_every`` epochs with all of them kept (learning curves).
    """
    if epochs < 2:
        raise ValueError(f'a budget needs at least 2 epochs (warm-up, then cosine), got {epochs}')
    warmup = max(1, epochs // 10)
    keep = [] if checkpoint_every is None else ['default_hooks.checkpoint.max_keep_ckpts=-1']
    return [
        f'train_dataloader.dataset.data_root={data_root}/', f'train_dataloader.dataset.ann_file={frames}',
        'train_dataloader.dataset.data_prefix.img_path=./', f'train_dataloader.batch_size={BATCH}',
        f'optim_wrapper.optimizer.lr={base_lr}', f'randomness.seed={seed}',  # per 256: the runner scales it
        f'train_cfg.max_epochs={epochs}',
        f'param_scheduler.0.end={warmup}', f'param_scheduler.1.begin={warmup}',  # the cosine ends at max_epochs
        f'default_hooks.checkpoint.interval={checkpoint_every or epochs}', *keep,
    ]


def run_step(cmd: Sequence[str], log_file: Optional[str] = None) -> None:
    """Run one step from the repo root; stream its output (progress, ETA) or append it to ``log_file``."""
    if log_file is None:
        subprocess.run(list(cmd), cwd=ROOT, check=True)
        return
    with open(log_file, 'a') as log:
        result = subprocess.run(list(cmd), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise RuntimeError(f'step failed (exit {result.returncode}): {" ".join(cmd)}; see {log_file}')


def scalar_records(work_dir: str) -> Iterator[dict]:
    """Every record mmengine logged in ``work_dir``'s runs (``*/vis_data/scalars.json``), oldest run first."""
    for scalars in sorted(Path(work_dir).glob('*/vis_data/scalars.json')):
        for line in scalars.read_text().splitlines():
            yield json.loads(line)


def last_metric(work_dir: str, key: str = 'mIoU') -> Optional[float]:
    """The last logged value of ``key`` in ``work_dir``."""
    values = [float(record[key]) for record in scalar_records(work_dir) if key in record]
    return values[-1] if values else None


def finished_checkpoint(work_dir: str) -> Optional[str]:
    """The final checkpoint of a pre-training that ran to its end in ``work_dir`` (its
    ``finished_checkpoint`` file names it), or None while it has not."""
    finished = Path(work_dir) / 'finished_checkpoint'
    checkpoint = finished.read_text().strip() if finished.is_file() else ''
    return checkpoint if checkpoint and osp.isfile(checkpoint) else None


def pretrain(config: str, work_dir: str, options: Sequence[str] = (), log_file: Optional[str] = None) -> str:
    """Pre-train with :mod:`multisiam_mm.apis.train` (``tools/train.py``) and return the final checkpoint.

    A run that finished before (:func:`finished_checkpoint`) is reused; an interrupted one continues with
    ``--resume`` (inside the epoch), not from scratch.
    """
    done = finished_checkpoint(work_dir)
    if done:
        return done
    cmd = [sys.executable, '-m', 'multisiam_mm.apis.train', config, '--work-dir', work_dir]
    if osp.isdir(work_dir) and latest_checkpoint(work_dir) is not None:
        cmd.append('--resume')
    run_step(cmd + (['--cfg-options', *options] if options else []), log_file)
    checkpoint = latest_checkpoint(work_dir)
    if checkpoint is None:
        raise RuntimeError(f'pre-training in {work_dir} ended without a checkpoint')
    (Path(work_dir) / 'finished_checkpoint').write_text(checkpoint + '\n')
    return checkpoint


def evaluate(config: str, checkpoint: str, work_dir: str, iters: int, data_root: str,
             log_file: Optional[str] = None, seed: int = 0, options: Sequence[str] = ()) -> float:
    """Train a CamVid benchmark config (probe or fine-tune) for ``iters`` and return its val mIoU.

    ``checkpoint`` is a pre-training checkpoint or ``'random'``; ``seed`` seeds the downstream run
    (and so the random backbone of the random-init baseline); ``options`` are further ``--cfg-options``
    (after the defaults, so they win: e.g. ``train_cfg.val_interval=100`` for a curve).
    """
    miou = last_metric(work_dir)
    if miou is None:
        options = [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
                   f'param_scheduler.0.end={iters}', 'default_hooks.checkpoint=None', f'data_root={data_root}',
                   f'randomness.seed={seed}', *options]
        source = ['--random-init'] if checkpoint == 'random' else ['--checkpoint', checkpoint]
        # what tools/benchmarks/mmseg_train.sh CONFIG CKPT runs (one process)
        run_step([sys.executable, '-m', 'multisiam_mm.apis.train_downstream', config, *source, '--scope', 'mmseg',
                  '--work-dir', work_dir, '--cfg-options', *options], log_file)
        miou = last_metric(work_dir)
    if miou is None:
        raise RuntimeError(f'no mIoU was logged in {work_dir}')
    return miou
