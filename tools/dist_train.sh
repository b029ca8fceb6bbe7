#!/usr/bin/env bash
# Distributed pre-training with torchrun on one or several nodes.
# Usage: bash tools/dist_train.sh CONFIG GPUS [train.py args...]
# Multi-node: set NNODES, NODE_RANK, MASTER_ADDR (and PORT) on every node.
# Without CUDA each of the GPUS processes trains on CPU with the gloo backend.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: bash tools/dist_train.sh CONFIG GPUS [train.py args...]" >&2
  exit 2
fi
CONFIG=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-127.0.0.1}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=setup/host_python.sh
source "$ROOT/tools/setup/host_python.sh"
PYTHON=$(host_python "$ROOT" "$CONFIG")  # $PYTHON, the active environment, or the config's host's

# torchrun runs in a process group of its own (set -m), so a signal to this script's group, which Slurm,
# `timeout` and `kill -- -PGID` send, reaches it once: from the trap below. It ignores SIGUSR1 (which
# would otherwise kill it and orphan the trainers); each trainer's PreemptionHook takes SIGUSR1 back.
# On SIGTERM or SIGUSR1 torchrun gets SIGTERM and passes it on to every trainer, which finish the
# iteration, checkpoint (rank 0) and exit; torchrun waits 30 s for them. The script then exits 143.
# Should this script die without a word (SIGKILL), setpriv (util-linux) has the kernel send torchrun
# SIGTERM; should torchrun die so, each trainer gets SIGTERM the same way (PretrainRunner).
set -m
trap '' USR1
PDEATHSIG=()
command -v setpriv >/dev/null && PDEATHSIG=(setpriv --pdeathsig TERM)
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
"${PDEATHSIG[@]}" "$PYTHON" -m torch.distributed.run \
  --nnodes="$NNODES" \
  --node_rank="$NODE_RANK" \
  --master_addr="$MASTER_ADDR" \
  --master_port="$PORT" \
  --nproc_per_node="$GPUS" \
  "$ROOT/tools/train.py" "$CONFIG" --launcher pytorch "${@:3}" &
LAUNCHER=$!
STOPPED=0
stop() { STOPPED=1; kill -TERM "$LAUNCHER" 2>/dev/null || true; }
trap stop TERM USR1
trap 'kill -INT "$LAUNCHER" 2>/dev/null || true' INT
wait "$LAUNCHER" && status=0 || status=$?
while kill -0 "$LAUNCHER" 2>/dev/null; do  # wait returns early when a trap runs: wait again
  wait "$LAUNCHER" && status=0 || status=$?
done
if [[ $STOPPED == 1 ]]; then
  echo "dist_train.sh: stopped by a signal, passed on to the trainers (they checkpoint; continue with --resume)" >&2
  exit 143
fi
exit "$status"
