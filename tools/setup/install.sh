#!/usr/bin/env bash
# Install the pinned OpenMMLab stack and multisiam_mm; a no-op in seconds when all is there.
#
# Usage: bash tools/setup/install.sh [--tests | --ops] [--host mmselfsup | mmpretrain | both]
#   --ops     mmcv with its compiled ops (MMSegmentation / MMDetection fine-tuning import them).
#   --tests   the ops, and the test requirements (pytest, scikit-learn).
#   --host    the self-supervised host: mmselfsup (MMSelfSup 1.0, the default), mmpretrain (MMPretrain 1.2)
#             or both. Each host has an environment of its own (requirements/host-mmselfsup.txt says why):
#             the active virtual environment ($VIRTUAL_ENV, one host only) or, in the repo, .venv for
#             mmselfsup and .venv-mmpretrain for mmpretrain.
# mmcv 2.0.1 has no wheels for this torch, so it is built from source: without ops in seconds (enough
# for pre-training and the demo), with ops once in about 13-18 minutes on 2 cores, replacing the
# ops-less build in place. Both wheels are kept in a wheelhouse:
#   ${MULTISIAM_WHEELHOUSE:-~/.cache/multisiam_mm/wheels}/mmcv-2.0.1-noops/                 (no ops)
#   ${MULTISIAM_WHEELHOUSE:-~/.cache/multisiam_mm/wheels}/mmcv-2.0.1-torch<ver>-<cpu|cuda>/ (ops)
# Why each pin and each workaround: docs/install.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REQ="$ROOT/requirements"
usage() { echo "usage: bash tools/setup/install.sh [--tests | --ops] [--host mmselfsup | mmpretrain | both]" >&2; exit 2; }
MODE="" HOST=mmselfsup
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tests|--ops) MODE="$1" ;;
    --host) [[ $# -ge 2 ]] || usage; HOST="$2"; shift ;;
    *) usage ;;
  esac
  shift
done
case "$HOST" in
  mmselfsup) VENV_NAME=.venv ;;
  mmpretrain) VENV_NAME=.venv-mmpretrain ;;
  both)
    [[ -z "${VIRTUAL_ENV:-}" ]] || { echo "[setup] ERROR: --host both needs two environments; deactivate $VIRTUAL_ENV" >&2; exit 1; }
    bash "$0" $MODE --host mmselfsup || exit  # (an `a && b` list that fails does not trip `set -e`)
    exec bash "$0" $MODE --host mmpretrain ;;
  *) usage ;;
esac
# in install order: mmcv before the OpenMMLab packages that require it (pip would build it from PyPI)
case "$MODE" in
  --tests) GROUPS_WANTED=(build torch mmcv-ops runtime "host-$HOST" tests) ;;
  --ops) GROUPS_WANTED=(build torch mmcv-ops runtime "host-$HOST") ;;
  "") GROUPS_WANTED=(build torch mmcv runtime "host-$HOST") ;;
esac

say() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ -n "${VIRTUAL_ENV:-}" ]]; then
  PY="$VIRTUAL_ENV/bin/python"
else
  if [[ ! -x "$ROOT/$VENV_NAME/bin/python" ]]; then
    command -v python3.11 >/dev/null || die "python3.11 not found; install Python 3.11 or activate a 3.11 virtualenv"
    say "creating virtual environment $ROOT/$VENV_NAME"
    python3.11 -m venv "$ROOT/$VENV_NAME" || die "could not create $VENV_NAME (is the venv module installed?)"
  fi
  PY="$ROOT/$VENV_NAME/bin/python"
fi
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11)' \
  || die "$PY is not Python 3.11; the pinned torch/mmcv builds need 3.11"

mapfile -t MISSING < <("$PY" "$ROOT/tools/setup/check_env.py" "${GROUPS_WANTED[@]}")
PKG_OK=$("$PY" -c "import multisiam_mm.$HOST" >/dev/null 2>&1 && echo yes || echo no)
if [[ ${#MISSING[@]} -eq 0 && $PKG_OK == yes ]]; then
  say "environment complete ($PY, host $HOST)"
  exit 0
fi
say "missing: ${MISSING[*]:-multisiam_mm} (python: $PY, host $HOST)"
if [[ " ${MISSING[*]} " == *" torch "* ]]; then  # torch's CUDA build: 5.5 GiB in the environment, more while pip copies
  bash "$ROOT/tools/setup/check_disk.sh" 7 "$(dirname "$PY")" "installing torch into $("$PY" -c 'import sys; print(sys.prefix)')" \
    || exit 1
fi

PIP=("$PY" -m pip install --disable-pip-version-check -c "$REQ/constraints.txt")
for group in "${MISSING[@]}"; do
  case "$group" in
    build|torch|runtime|host-*|tests)
      say "installing requirements/$group.txt"
      "${PIP[@]}" -r "$REQ/$group.txt" || die "pip failed on requirements/$group.txt (see the pip output above)"
      ;;
    mmcv|mmcv-ops)
      WHEELHOUSE_ROOT="${MULTISIAM_WHEELHOUSE:-$HOME/.cache/multisiam_mm/wheels}"
      if [[ $group == mmcv-ops ]]; then
        TORCH_VER=$("$PY" -c 'import torch; print(torch.__version__.split("+")[0])')
        FLAVOUR=$("$PY" -c 'import os, torch; print("cuda" if torch.cuda.is_available() or os.environ.get("FORCE_CUDA") == "1" else "cpu")')
        WHEELHOUSE="$WHEELHOUSE_ROOT/mmcv-2.0.1-torch$TORCH_VER-$FLAVOUR" WITH_OPS=1
        WHAT="with ops for torch $TORCH_VER ($FLAVOUR): about 13-18 minutes on 2 cores"
      else
        WHEELHOUSE="$WHEELHOUSE_ROOT/mmcv-2.0.1-noops" WITH_OPS=0 WHAT="without compiled ops: seconds"
      fi
      if ! ls "$WHEELHOUSE"/mmcv-2.0.1-*.whl >/dev/null 2>&1; then
        say "building mmcv 2.0.1 $WHAT"
        mkdir -p "$WHEELHOUSE"
        if [[ $WITH_OPS == 1 ]]; then
          chmod +x "$ROOT/tools/setup/cxx_std_wrapper.sh"
          MMCV_WITH_OPS=1 MAX_JOBS="$(nproc)" CXX="$ROOT/tools/setup/cxx_std_wrapper.sh" \
            "$PY" -m pip wheel --disable-pip-version-check --no-build-isolation --no-deps --no-binary mmcv \
            --no-cache-dir -w "$WHEELHOUSE" mmcv==2.0.1 \
            || die "mmcv build failed (compiler output above); a C++20 g++ and the Python headers are required"
        else
          # built by a throwaway Python without torch, so setup.py skips the ops and the wheel keeps the
          # name mmcv (MMCV_WITH_OPS=0 would name it mmcv-lite, which no OpenMMLab package requires);
          # setuptools 80 there: mmcv's setup.py imports pkg_resources
          BUILD_ENV="$(mktemp -d)"
          "$PY" -m venv "$BUILD_ENV" && "$BUILD_ENV/bin/python" -m pip install -q --disable-pip-version-check \
            -c "$REQ/constraints.txt" -r "$REQ/build.txt" \
            && "$BUILD_ENV/bin/python" -m pip wheel --disable-pip-version-check --no-build-isolation --no-deps \
              --no-binary mmcv --no-cache-dir -w "$WHEELHOUSE" mmcv==2.0.1 \
            || die "building mmcv without ops failed (pip output above)"
          rm -rf "$BUILD_ENV"
        fi
      fi
      say "installing mmcv from $WHEELHOUSE"
      "${PIP[@]}" --find-links "$WHEELHOUSE" --force-reinstall --no-deps "$WHEELHOUSE"/mmcv-2.0.1-*.whl \
        || die "installing the mmcv wheel failed"
      "${PIP[@]}" --find-links "$WHEELHOUSE" mmcv==2.0.1 || die "installing mmcv's dependencies failed"
      if [[ $group == mmcv-ops ]]; then
        "$PY" -c 'import mmcv.ops; mmcv.ops.RoIAlign' \
          || die "mmcv ops do not load; delete $WHEELHOUSE and rerun to rebuild"
      fi
      ;;
  esac
done

say "installing multisiam_mm (editable)"
"${PIP[@]}" --no-deps --no-build-isolation -e "$ROOT" >/dev/null || die "pip install -e . failed"
say "done: activate with 'source ${VIRTUAL_ENV:-$ROOT/$VENV_NAME}/bin/activate'"
