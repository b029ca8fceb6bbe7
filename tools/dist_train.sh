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
PYTHON=${PYTHON:-python}
[[ -z "${VIRTUAL_ENV:-}" && -x "$ROOT/.venv/bin/python" ]] && PYTHON="$ROOT/.venv/bin/python"

PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
exec "$PYTHON" -m torch.distributed.run \
  --nnodes="$NNODES" \
  --node_rank="$NODE_RANK" \
  --master_addr="$MASTER_ADDR" \
  --master_port="$PORT" \
  --nproc_per_node="$GPUS" \
  "$ROOT/tools/train.py" "$CONFIG" --launcher pytorch "${@:3}"
