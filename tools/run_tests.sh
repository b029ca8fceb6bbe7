#!/usr/bin/env bash
# Install whatever is missing for both hosts (first run: ~20 min, mostly building mmcv's ops once), then run
# the test suite in each host's environment: the core and the MMSelfSup host in .venv (all of tests/ but
# tests/host_mmpretrain/), the MMPretrain host in .venv-mmpretrain (tests/host_mmpretrain/, whose cross-host
# test runs the same training in both). The hosts never share an environment (requirements/host-mmselfsup.txt).
# Usage: bash tools/run_tests.sh [pytest args...]   (the args go to both runs)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
unset VIRTUAL_ENV  # the repo's two environments, whatever is active
bash "$ROOT/tools/setup/install.sh" --tests --host both
cd "$ROOT"
status=0
echo "[tests] MMSelfSup 1.0 host and the core (.venv)"
"$ROOT/.venv/bin/python" -m pytest tests "$@" || status=$?
echo "[tests] MMPretrain 1.2 host (.venv-mmpretrain)"
"$ROOT/.venv-mmpretrain/bin/python" -m pytest tests/host_mmpretrain "$@" || status=$?
exit $status
