#!/usr/bin/env bash
# Install whatever is missing, then pre-train MultiSiam (ResNet-18) on the bundled CamVid demo frames.
# Usage: bash tools/run_demo.sh [WORK_DIR] [train.py args...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK_DIR="${1:-$ROOT/work_dirs/demo}"
bash "$ROOT/tools/setup/install.sh"
PY="${VIRTUAL_ENV:-$ROOT/.venv}/bin/python"
cd "$ROOT"
"$PY" tools/train.py configs/multisiam_r18_camvid.py --work-dir "$WORK_DIR" "${@:2}"
echo "Demo finished. Checkpoint: $(cat "$WORK_DIR/last_checkpoint")"
echo "Logs: $WORK_DIR"
