#!/usr/bin/env bash
# Shared launcher of the benchmark wrappers: one process, or GPUS processes under torchrun.
# Usage: bash tools/benchmarks/launch.sh SCOPE CONFIG CKPT GPUS [train_downstream.py args...]
#   SCOPE  mmseg or mmdet: the config must use this default_scope
#   CKPT   the pre-training checkpoint, or `random` for the random-init baseline
#   GPUS   0 for a plain single process, N >= 1 for N torchrun processes (gloo on CPU without CUDA)
# Multi-node: set NNODES, NODE_RANK, MASTER_ADDR (and PORT) on every node.
set -euo pipefail
if [[ $# -lt 4 ]]; then
  echo "usage: bash tools/benchmarks/launch.sh SCOPE CONFIG CKPT GPUS [args...]" >&2
  exit 2
fi
SCOPE=$1
CONFIG=$2
CKPT=$3
GPUS=$4
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PYTHON=${PYTHON:-python}
[[ -z "${VIRTUAL_ENV:-}" && -x "$ROOT/.venv/bin/python" ]] && PYTHON="$ROOT/.venv/bin/python"
if [[ $CKPT == random ]]; then
  SOURCE=(--random-init)
else
  SOURCE=(--checkpoint "$CKPT")
fi
if ! [[ $GPUS =~ ^[0-9]+$ ]]; then
  echo "GPUS must be a number of processes, got '$GPUS'" >&2
  exit 2
fi
TRAIN=("$ROOT/tools/benchmarks/train_downstream.py" "$CONFIG" "${SOURCE[@]}" --scope "$SCOPE")
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
if [[ $GPUS -eq 0 ]]; then
  exec "$PYTHON" "${TRAIN[@]}" "${@:5}"
fi
exec "$PYTHON" -m torch.distributed.run \
  --nnodes="${NNODES:-1}" \
  --node_rank="${NODE_RANK:-0}" \
  --master_addr="${MASTER_ADDR:-127.0.0.1}" \
  --master_port="${PORT:-29500}" \
  --nproc_per_node="$GPUS" \
  "${TRAIN[@]}" --launcher pytorch "${@:5}"
