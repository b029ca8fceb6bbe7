#!/usr/bin/env bash
# The CPU rehearsal of the GPU check: prove that .whl/ completes the device image, and that gpu_check.sh
# runs end to end, before any device time is spent.
#
# Usage: bash lab/device/rehearse.sh      (6-10 minutes on 2 cores once the stand-in exists; 3 more to create it)
#
# 1. lab/device/make_wheels.sh (seconds when .whl/ is complete);
# 2. a stand-in for the device image (its Python runs with -I here: the repo's own egg-info is no
#    package of the image): a Python 3.12 virtual environment ($REHEARSAL_VENV, default
#    /tmp/device_rehearsal_venv) with the device's torch 2.11.0, torchvision 0.26.0 and numpy 2.5.2
#    and the other device packages the stack needs (lab/device/rehearsal_base.txt), installed from the
#    registry once, and again whenever rehearsal_base.txt changes (the venv keeps a copy of the list it
#    was made from); then checked: every package in it must be on the device's list
#    (device_packages.txt), and none of the carried stack (mmcv, mmengine, ...) may be in it;
# 3. lab/device/gpu_check.sh --device cpu --tiny with that interpreter: it installs .whl/ with
#    --no-index --no-deps into private folders ($REHEARSAL_SITE, default /tmp/device_rehearsal_site)
#    exactly as on the device, then runs every part (data and work dirs in $REHEARSAL_SCRATCH, default
#    /tmp/device_rehearsal_scratch).
# The report lands in $REHEARSAL_OUT (default work_dirs/gpu_check_rehearsal/report.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${REHEARSAL_VENV:-/tmp/device_rehearsal_venv}"
OUT_DIR="${REHEARSAL_OUT:-$ROOT/work_dirs/gpu_check_rehearsal}"
SITE="${REHEARSAL_SITE:-/tmp/device_rehearsal_site}"
SCRATCH="${REHEARSAL_SCRATCH:-/tmp/device_rehearsal_scratch}"
BASE="$ROOT/lab/device/rehearsal_base.txt"
say() { printf '[rehearse %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[rehearse] ERROR: %s\n' "$*" >&2; exit 1; }
start=$(date +%s)

bash "$ROOT/lab/device/make_wheels.sh" | grep -v '^|' || die "make_wheels.sh failed"

if [[ ! -x "$VENV/bin/python" ]]; then
  PY312="${PY312:-}"
  if [[ -z "$PY312" ]]; then
    if python3.12 -V >/dev/null 2>&1; then PY312=python3.12
    else PY312=$(ls -d "$HOME"/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -1); fi
  fi
  [[ -n "$PY312" ]] || die "no Python 3.12 here (set PY312=/path/to/python3.12): the device runs 3.12"
  bash "$ROOT/tools/setup/check_disk.sh" 7 "$(dirname "$VENV")" "the device stand-in $VENV (torch 2.11's CUDA build)"
  say "creating the device stand-in $VENV with $PY312"
  "$PY312" -m venv "$VENV"
fi
if ! cmp -s "$BASE" "$VENV/rehearsal_base.txt"; then
  say "installing the stand-in's base (lab/device/rehearsal_base.txt) into $VENV"
  "$VENV/bin/python" -m pip install -q -r "$BASE" || die "installing the base failed"
  # a newer version of a device package may pull in one the device does not list (python-dateutil: tzdata);
  # remove those, so that nothing the device lacks can hide a missing wheel
  mapfile -t EXTRA < <("$VENV/bin/python" -I "$ROOT/lab/device/wheel_closure.py" stand-in-extra)
  if [[ ${#EXTRA[@]} -gt 0 ]]; then
    say "removing what the device does not list: ${EXTRA[*]}"
    (cd / && "$VENV/bin/python" -I -m pip uninstall -q -y "${EXTRA[@]}")
  fi
  cp "$BASE" "$VENV/rehearsal_base.txt"
fi
"$VENV/bin/python" -I "$ROOT/lab/device/wheel_closure.py" stand-in-check \
  || die "the stand-in is not a subset of the device image"

rm -rf "$OUT_DIR"
mkdir -p "$(dirname "$OUT_DIR")"
say "gpu_check.sh --device cpu --tiny with $VENV/bin/python"
check_start=$(date +%s)
status=0
PYTHON="$VENV/bin/python" OUT="$OUT_DIR" MULTISIAM_SITE="$SITE" \
  bash "$ROOT/lab/device/gpu_check.sh" --device cpu --tiny --scratch "$SCRATCH" \
  >"$OUT_DIR.stdout" 2>&1 || status=$?
mv "$OUT_DIR.stdout" "$OUT_DIR/stdout.log"
sed -n '/^| part | status/,/^$/p' "$OUT_DIR/report.md"  # the summary table
say "gpu_check took $(( $(date +%s) - check_start )) s, the rehearsal $(( $(date +%s) - start )) s; exit $status;" \
  "report: $OUT_DIR/report.md"
exit $status
