#!/usr/bin/env bash
# Configures and builds everything into ./build (RelWithDebInfo; ccache when present; a compiler
# warning is an error, as in every build CI makes).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
# ccache keyed by paths relative to the checkout, so every clone on a machine shares one cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMPK_TESTS=ON -DMPK_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
