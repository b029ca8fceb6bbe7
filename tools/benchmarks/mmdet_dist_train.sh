#!/usr/bin/env bash
# Fine-tune a pre-trained backbone with an MMDetection benchmark config on GPUS processes (torchrun).
# Usage: bash tools/benchmarks/mmdet_dist_train.sh CONFIG CKPT GPUS [train_downstream.py args...]
#   CKPT: the MultiSiam training checkpoint (backbone.* is loaded), or `random` for the random-init baseline
# Multi-node: set NNODES, NODE_RANK, MASTER_ADDR (and PORT) on every node. Without CUDA each process
# trains on CPU with the gloo backend.
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo "usage: bash tools/benchmarks/mmdet_dist_train.sh CONFIG CKPT GPUS [train_downstream.py args...]" >&2
  exit 2
fi
exec bash "$(dirname "$0")/launch.sh" mmdet "$1" "$2" "$3" "${@:4}"
