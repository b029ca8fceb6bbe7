#!/usr/bin/env bash
# The GPU check: install the carried wheels into private folders, then run the parts of
# lab/device/gpu_check.py, each in its own time box, writing report.md and one log per part to $OUT.
#
# The two hosts never share a process nor an install folder (mmdet imports mmpretrain.models whenever it
# can, and mmselfsup imports mmdet.models: docs/install.md), so the wheels go into three folders under
# $MULTISIAM_SITE, chosen by lab/device/wheel_closure.py group: shared/ (what both hosts' closures hold),
# mmselfsup/ and mmpretrain/ (what only that host's does). A part's process under a host sees the repo,
# its host's folder and shared/ (gpu_check.py host_pythonpath), never the other host's.
#
# Usage (lab/device/README.md says how a session runs it through the device tool):
#   bash lab/device/gpu_check.sh [--device cuda|cpu] [--tiny] [--parts env,a,b,c,d] [--budget S] [--out DIR]
#   bash lab/device/gpu_check.sh --parts e     # the second command: the evidence's GPU budget
#
# Environment: PYTHON (default python3, the device image's), WHEELS (default .whl), MULTISIAM_SITE (the
# private install folders' parent, default /tmp/multisiam_site, emptied first), OUT (default work_dirs/gpu_check).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
WHEELS="${WHEELS:-$ROOT/.whl}"
SITE="${MULTISIAM_SITE:-/tmp/multisiam_site}"
OUT="${OUT:-$ROOT/work_dirs/gpu_check}"
for ((i = 1; i <= $#; i++)); do  # --out DIR also names the folder of the install log
  [[ "${!i}" == --out ]] && { j=$((i + 1)); OUT="${!j}"; }
done
mkdir -p "$OUT"
LOG="$OUT/env.log"
say() { printf '[gpu_check %s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$LOG"; }

start=$(date +%s)
ls "$WHEELS"/*.whl >/dev/null 2>&1 || { say "ERROR: no wheels in $WHEELS: run bash lab/device/make_wheels.sh here first and carry .whl"; exit 2; }
rm -rf "$SITE"

install() {  # install FOLDER WHEEL...: the wheels, from the carried files only, into $SITE/FOLDER
  local folder="$1"
  shift
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$SITE/$folder" \
    "$@" >>"$LOG" 2>&1 || { say "ERROR: pip install into $SITE/$folder failed (env.log)"; exit 2; }
}

for group in shared mmselfsup mmpretrain; do
  # setuptools is a shared root, installed below only where the image's lacks pkg_resources
  mapfile -t GROUP < <("$PY" -I lab/device/wheel_closure.py group "$WHEELS" "$group" | grep -v '/setuptools-')
  say "installing ${#GROUP[@]} wheels from $WHEELS into $SITE/$group with $PY"
  [[ ${#GROUP[@]} -gt 0 ]] || { say "ERROR: no wheels for $group in $WHEELS: run make_wheels.sh again"; exit 2; }
  install "$group" "${GROUP[@]}"
done
# mmcls:: config inheritance imports pkg_resources, which setuptools >= 81 no longer has
if ! "$PY" -c 'import pkg_resources' >/dev/null 2>&1; then
  say "the image's setuptools has no pkg_resources: adding the carried setuptools"
  install setuptools "$WHEELS"/setuptools-*.whl
fi
say "installed in $(( $(date +%s) - start )) s"
# the driver is host-free: it writes part b's parquet with the core (mmengine from shared/)
export PYTHONPATH="$ROOT:$SITE/shared${PYTHONPATH:+:$PYTHONPATH}" OUT
exec "$PY" lab/device/gpu_check.py --python "$PY" --site "$SITE" "$@"
