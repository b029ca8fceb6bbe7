#!/usr/bin/env bash
# The GPU check: install the carried wheels into a private folder, then run the parts of
# lab/device/gpu_check.py, each in its own time box, writing report.md and one log per part to $OUT.
#
# Usage (lab/device/README.md says how a session runs it through the device tool):
#   bash lab/device/gpu_check.sh [--device cuda|cpu] [--tiny] [--parts env,a,b,c,d] [--budget S] [--out DIR]
#   bash lab/device/gpu_check.sh --parts e     # the second command: the evidence's GPU budget
#
# Environment: PYTHON (default python3, the device image's), WHEELS (default .whl), MULTISIAM_SITE (the
# private install folder, default /tmp/multisiam_site, emptied first), OUT (default work_dirs/gpu_check).
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
say "installing $(ls "$WHEELS"/*.whl 2>/dev/null | wc -l) wheels from $WHEELS into $SITE with $PY"
ls "$WHEELS"/*.whl >/dev/null 2>&1 || { say "ERROR: no wheels in $WHEELS: run bash lab/device/make_wheels.sh here first and carry .whl"; exit 2; }
rm -rf "$SITE" "$SITE-setuptools"
mapfile -t MAIN < <(ls "$WHEELS"/*.whl | grep -v '/setuptools-')
"$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$SITE" \
  "${MAIN[@]}" >>"$LOG" 2>&1 || { say "ERROR: pip install of the wheels failed (env.log)"; exit 2; }
export PYTHONPATH="$ROOT:$SITE${PYTHONPATH:+:$PYTHONPATH}"
# mmcls:: config inheritance imports pkg_resources, which setuptools >= 81 no longer has
if ! "$PY" -c 'import pkg_resources' >/dev/null 2>&1; then
  say "the image's setuptools has no pkg_resources: adding the carried setuptools"
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target "$SITE-setuptools" \
    "$WHEELS"/setuptools-*.whl >>"$LOG" 2>&1 || { say "ERROR: installing setuptools failed"; exit 2; }
  export PYTHONPATH="$PYTHONPATH:$SITE-setuptools"
fi
say "installed in $(( $(date +%s) - start )) s; PYTHONPATH=$PYTHONPATH"
export OUT
exec "$PY" lab/device/gpu_check.py --python "$PY" "$@"
