#!/usr/bin/env bash
# Table 4 at 150 epochs on the lent GPU: the GPU check's part e command (issue #33's evidence run).
#
# The rows of lab/camvid_table4.py in its order (BYOL and MultiSiam with seeds 0 and 1, then + IoU
# threshold, then rows 3 and 4) on the CamVid recipe, one after the other on the GPU, each measured with
# the three instruments at its final checkpoint; what finished in the time box is reported. Only the
# report comes back: $OUT/table4_gpu.json (lab/table4_report.py's figures, verdicts, per-class IoUs) and
# $OUT/table4_gpu.md; no checkpoints. The fine-tune needs mmcv's compiled ops, which
# the device's mmcv lacks (lab/device/README.md), so it is not run here.
#
# Here, once (the frames travel in the carried, git-ignored data/camvid, 37 MiB; .whl is 14 MiB):
#   mkdir -p data && cp -r ../shared/data/camvid data/camvid && bash lab/device/make_wheels.sh
# Through the device tool (carry [".whl", "data/camvid"], timeout_s 580):
#   MULTISIAM_EVIDENCE_CMD='bash lab/device/table4_evidence.sh' bash lab/device/gpu_check.sh --parts e --budget 520
# The CPU rehearsal, by hand (the bundled demo frames, 2 epochs, the first run only: BYOL seed 0):
#   bash lab/device/table4_evidence.sh --tiny
#
# Environment: PYTHON (default python3), OUT (default work_dirs/table4_gpu_out), TABLE4_SECONDS (the
# runs' time box; default 440 s on the device, 900 s with --tiny; the report follows it), TABLE4_WORK (the
# runs' work dir; default work_dirs/table4_gpu, or work_dirs/table4_gpu_tiny with --tiny).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
OUT="${OUT:-$ROOT/work_dirs/table4_gpu_out}"
say() { printf '[table4_evidence %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

if [[ "${1:-}" == --tiny ]]; then
  DATA=demo/camvid EPOCHS=2 WORKERS=2 SECONDS_BOX="${TABLE4_SECONDS:-900}" RUNS=(--max-runs 1)
  WORK="${TABLE4_WORK:-work_dirs/table4_gpu_tiny}"
  rm -rf "$WORK"  # a rehearsal starts from nothing (on the device, a second call continues the first's runs)
elif [[ $# -eq 0 ]]; then
  DATA=data/camvid EPOCHS=150 WORKERS=14 SECONDS_BOX="${TABLE4_SECONDS:-440}" WORK="${TABLE4_WORK:-work_dirs/table4_gpu}"
  RUNS=()
else
  echo "usage: bash lab/device/table4_evidence.sh [--tiny]" >&2
  exit 2
fi
[[ -f "$DATA/train.txt" && -f "$DATA/val.txt" ]] || {
  say "ERROR: no CamVid frames in $ROOT/$DATA (train.txt, val.txt): copy them first," \
      "mkdir -p data && cp -r ../shared/data/camvid data/camvid, and carry data/camvid"
  exit 2
}
mkdir -p "$OUT"

say "rows of lab/camvid_table4.py, $EPOCHS epochs each, on $DATA, for at most $SECONDS_BOX s"
status=0
# timeout signals its whole process group (the lane, its camvid_curves run, the trainer and its workers)
timeout --kill-after 20 "$SECONDS_BOX" "$PY" -m lab.camvid_table4 --lanes 1 "${RUNS[@]}" --epochs "$EPOCHS" \
  --workers "$WORKERS" --work-dir "$WORK" --data-root "$DATA" || status=$?
if [[ $status -eq 124 ]]; then
  say "the time box ran out: the report holds the runs that finished"
elif [[ $status -ne 0 ]]; then
  say "ERROR: the runs failed (exit $status)"
fi
"$PY" -m lab.camvid_table4 --status --epochs "$EPOCHS" --work-dir "$WORK"
"$PY" -m lab.table4_report --work-dir "$WORK" --epochs "$EPOCHS" --json "$OUT/table4_gpu.json" \
  | tee "$OUT/table4_gpu.md"
[[ $status -eq 0 || $status -eq 124 ]] || exit "$status"
# a time box in which no run finished is a failure, not an empty table
"$PY" -c 'import json, sys; figures = json.load(open(sys.argv[1]))["figures"]
sys.exit(not any(f["probe"] for row, f in figures.items() if row != "random init"))' "$OUT/table4_gpu.json" \
  || { say "ERROR: no row finished in $SECONDS_BOX s"; exit 1; }
