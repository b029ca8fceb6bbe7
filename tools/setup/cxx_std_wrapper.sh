#!/usr/bin/env bash
# C++ compiler wrapper for building mmcv 2.0.1 against torch >= 2.6.
#
# mmcv 2.0.1's setup.py appends `-std=c++14` as the last compile flag, after any CFLAGS, but torch 2.14's
# headers need C++20. This wrapper rewrites that one flag and hands everything else to the real compiler
# unchanged, so mmcv's sources stay untouched. Used as CXX by tools/setup/install.sh.
args=()
for arg in "$@"; do
  case "$arg" in
    -std=c++14|-std=c++17) args+=("-std=c++20") ;;
    *) args+=("$arg") ;;
  esac
done
exec "${MULTISIAM_REAL_CXX:-g++}" "${args[@]}"
