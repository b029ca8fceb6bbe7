#!/usr/bin/env bash
# Install whatever is missing, then run the main job on the bundled CamVid demo frames (lab/demo.py):
# pre-train MultiSiam (ResNet-18), draw its feature clusters, and linear-probe it against a random backbone.
# Usage: bash tools/run_demo.sh [lab/demo.py args, e.g. --work-dir DIR --epochs 40]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/tools/setup/install.sh"
PY="${VIRTUAL_ENV:-$ROOT/.venv}/bin/python"
cd "$ROOT"
exec "$PY" -m lab.demo "$@"
