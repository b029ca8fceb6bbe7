#!/usr/bin/env bash
# Install whatever is missing, then run the main job on the bundled CamVid demo frames (lab/demo.py):
# pre-train MultiSiam (ResNet-18), draw its feature clusters, and linear-probe it against a random backbone.
# Usage: bash tools/run_demo.sh [--host mmselfsup|mmpretrain] [lab/demo.py args, e.g. --work-dir DIR --epochs 40]
#   --host: the self-supervised host, MMSelfSup 1.0 (the default) or MMPretrain 1.2, each in its own
#           environment (.venv, .venv-mmpretrain; or the active $VIRTUAL_ENV).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HOST=mmselfsup
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --host) [[ $# -ge 2 ]] || { echo "usage: bash tools/run_demo.sh [--host mmselfsup|mmpretrain] [demo args]" >&2; exit 2; }
            HOST="$2"; shift ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done
bash "$ROOT/tools/setup/install.sh" --host "$HOST"
case "$HOST" in mmpretrain) VENV=.venv-mmpretrain ;; *) VENV=.venv ;; esac
PY="${VIRTUAL_ENV:-$ROOT/$VENV}/bin/python"
cd "$ROOT"
exec "$PY" -m lab.demo --host "$HOST" "${ARGS[@]}"
