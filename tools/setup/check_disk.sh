#!/usr/bin/env bash
# Refuse, with the figures, an install that would fill the disk half-way (pip then fails mid-copy with
# "No space left on device" and leaves a broken environment behind).
# Usage: bash tools/setup/check_disk.sh GIB PATH WHAT   (exit 1 when PATH's filesystem has under GIB free)
set -euo pipefail
need_gib="$1" path="$2" what="$3"
free_gib=$(df -Pk "$path" | awk 'NR == 2 { printf "%.1f", $4 / 1048576 }')
if awk -v free="$free_gib" -v need="$need_gib" 'BEGIN { exit !(free < need) }'; then
  echo "[setup] ERROR: $what needs about $need_gib GiB free on the filesystem of $path, which has $free_gib GiB:" \
    "free some space (old virtual environments, pytest's /tmp/pytest-of-$(id -un)) and run it again" >&2
  exit 1
fi
