#!/usr/bin/env bash
# Fetch or build, here, exactly the wheels the device machine lacks (Python 3.12, x86-64) into .whl/.
#
# Usage: bash lab/device/make_wheels.sh [DEST]        (DEST defaults to .whl in the repo root)
#
# The roots are the shared stack (lab/device/wheels.txt) and each host's requirements file
# (requirements/host-mmselfsup.txt, requirements/host-mmpretrain.txt); then, round after round, every
# requirement of the wheels in DEST that neither another wheel there nor the device
# (lab/device/device_packages.txt) meets (lab/device/wheel_closure.py). Binary wheels are downloaded for CPython 3.12 manylinux x86-64 with
# --no-deps; a package with no wheel (mmcv 2.0.1) is built here from its sdist in pip's isolated build
# environment, which has no torch: mmcv's setup.py then skips its compiled ops ("Skip building ext ops
# due to the absence of torch") and the wheel is pure Python and still named mmcv (MMCV_WITH_OPS=0 would
# rename it mmcv-lite, which mmselfsup's, mmseg's and mmdet's requirements do not name). Pre-training
# needs no mmcv.ops: RoIAlign is torchvision's (docs/install.md says what the missing ops cost).
# Ends with wheel_closure.py check (each host's install complete on its own, no host reaching the other's
# roots, one version of each, under the 64 MiB carry limit) and rewrites lab/device/wheels.lock. About a minute; the folder is git-ignored (.gitignore: /.whl/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST="${1:-$ROOT/.whl}"
PY="${PYTHON:-python3}"  # any Python with pip: the flags below choose the device's platform
CLOSURE="$ROOT/lab/device/wheel_closure.py"
PLATFORM=(--only-binary=:all: --python-version 3.12 --implementation cp --abi cp312 --abi abi3 --abi none
          --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64
          --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux1_x86_64
          --platform any)
# setuptools 80 still has pkg_resources, which mmcv 2.0.1's setup.py imports
BUILD_CONSTRAINTS="$(mktemp)"
trap 'rm -f "$BUILD_CONSTRAINTS"' EXIT
echo 'setuptools==80.10.2' >"$BUILD_CONSTRAINTS"

say() { printf '[make_wheels %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[make_wheels] ERROR: %s\n' "$*" >&2; exit 1; }

have_wheel() {  # is a wheel of this (normalized) name in DEST?
  local name="${1//-/_}"
  compgen -G "$DEST/${name}-*.whl" >/dev/null || compgen -G "$DEST/${1}-*.whl" >/dev/null
}

fetch() {  # one requirement string: a binary wheel for the device, else a wheel built from the sdist
  local req="$1"
  if "$PY" -m pip download -q --no-deps "${PLATFORM[@]}" -d "$DEST" "$req" 2>/dev/null; then
    say "fetched $req"
    return
  fi
  say "no wheel for $req: building it from its sdist (must be pure Python)"
  local before after
  before=$(ls "$DEST")
  PIP_CONSTRAINT="$BUILD_CONSTRAINTS" "$PY" -m pip wheel -q --no-deps --no-binary :all: \
    --no-cache-dir -w "$DEST" "$req" || die "could not build $req"
  after=$(comm -13 <(echo "$before") <(ls "$DEST"))
  [[ "$after" == *-none-any.whl ]] || die "$req built as $after, not a pure-Python wheel; it would not run on the device"
  ! unzip -l "$DEST/$after" | grep -qE '\.so$' || die "$after holds compiled code built here; it would not run on the device"
  say "built $after"
}

mkdir -p "$DEST"
say "roots: lab/device/wheels.txt and requirements/host-*.txt -> $DEST"
while read -r req; do
  name=$("$PY" -c 'import re, sys; print(re.split(r"[<>=!~; ]", sys.argv[1])[0].lower())' "$req")
  have_wheel "$name" || fetch "$req"
done < <("$PY" "$CLOSURE" roots)

for round in 1 2 3 4 5 6; do
  mapfile -t NEEDED < <("$PY" "$CLOSURE" missing "$DEST")
  [[ ${#NEEDED[@]} -eq 0 ]] && break
  say "round $round: ${NEEDED[*]}"
  for req in "${NEEDED[@]}"; do
    case "$req" in
      numpy*|torch*|torchvision*|opencv*)
        die "$req would replace the device's own $req; absorb it instead (multisiam_mm/compat.py, docs/install.md)";;
    esac
    fetch "$req"
  done
done

"$PY" "$CLOSURE" check "$DEST" || die "the wheel set is not complete (see PROBLEM lines)"
"$PY" "$CLOSURE" lock "$DEST"
say "done: $(du -sh "$DEST" | cut -f1) in $DEST; lab/device/wheels.lock updated"
