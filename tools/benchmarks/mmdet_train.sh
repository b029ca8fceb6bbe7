#!/usr/bin/env bash
# Fine-tune a pre-trained backbone with an MMDetection benchmark config, in one process.
# Usage: bash tools/benchmarks/mmdet_train.sh CONFIG CKPT [train_downstream.py args...]
#   CKPT: the MultiSiam training checkpoint (backbone.* is loaded), or `random` for the random-init baseline
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: bash tools/benchmarks/mmdet_train.sh CONFIG CKPT [train_downstream.py args...]" >&2
  exit 2
fi
exec bash "$(dirname "$0")/launch.sh" mmdet "$1" "$2" 0 "${@:3}"
