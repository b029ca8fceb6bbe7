#!/usr/bin/env bash
# Pre-training on a Slurm cluster, one task per GPU.
# Usage: [GPUS=16 GPUS_PER_NODE=8 CPUS_PER_TASK=5 SRUN_ARGS=...] \
#        bash tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py args...]
#
# Preemption-safe: train.py runs with --resume (the work dir's latest checkpoint, or a fresh start), and
# on SIGTERM or SIGUSR1 every task finishes its iteration, rank 0 checkpoints, and all exit with 143.
# Inside a batch job the script then requeues the job, which resumes by itself:
#   sbatch --requeue --signal=USR1@120 --nodes=2 --gres=gpu:8 --ntasks-per-node=8 \
#          --wrap "GPUS=16 bash tools/slurm_train.sh PARTITION ms configs/multisiam_r50_waymo.py work_dirs/ms"
# (USR1 two minutes before the time limit; a preemption's SIGTERM is requeued by Slurm itself.)
set -euo pipefail
if [[ $# -lt 4 ]]; then
  echo "usage: bash tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py args...]" >&2
  exit 2
fi
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
WORK_DIR=$4
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-""}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

# A preemption signals every process of the job, this script too: it waits for srun (which passes the
# signal to the tasks; they checkpoint and exit 143) instead of dying, then requeues.
STOPPED=0
trap 'STOPPED=1' TERM USR1
# shellcheck disable=SC2086  # SRUN_ARGS is a list of flags
status=0
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
srun -p "$PARTITION" \
  --job-name="$JOB_NAME" \
  --gres=gpu:"$GPUS_PER_NODE" \
  --ntasks="$GPUS" \
  --ntasks-per-node="$GPUS_PER_NODE" \
  --cpus-per-task="$CPUS_PER_TASK" \
  --kill-on-bad-exit=1 \
  $SRUN_ARGS \
  python -u "$ROOT/tools/train.py" "$CONFIG" --work-dir="$WORK_DIR" --launcher=slurm --resume "${@:5}" \
  || status=$?

[[ $STOPPED == 1 && $status -ne 0 ]] && status=143  # srun reports a signalled step in its own way
if [[ $status -eq 143 && -n "${SLURM_JOB_ID:-}" ]]; then  # 143: preempted after a checkpoint
  echo "slurm_train.sh: preempted with a checkpoint in $WORK_DIR; requeueing job $SLURM_JOB_ID" >&2
  scontrol requeue "$SLURM_JOB_ID" || echo "slurm_train.sh: requeue failed; resubmit to continue" >&2
fi
exit "$status"
