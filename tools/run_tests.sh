#!/usr/bin/env bash
# Install whatever is missing (first run: ~20 min, mostly building mmcv), then run the test suite.
# Usage: bash tools/run_tests.sh [pytest args...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/tools/setup/install.sh" --tests
PY="${VIRTUAL_ENV:-$ROOT/.venv}/bin/python"
cd "$ROOT"
exec "$PY" -m pytest tests "$@"
