#!/usr/bin/env bash
# Builds the image's programs on this host and puts them, stripped, into deploy/prebuilt/bin for
# the image's fast path (deploy/Dockerfile, BINARIES=prebuilt). The host must be Debian 12: the
# image installs the same Debian packages, so the programs find the libraries they were built with.
#
#   deploy/pack-binaries.sh [BUILD_DIR]    (default: build, configured like scripts/build.sh if new)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
# shellcheck disable=SC1091
. /etc/os-release
if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
  echo "pack-binaries: this host is ${PRETTY_NAME:-unknown}; programs for the image must be built on Debian 12" \
       "(or build the image from source: BINARIES=build)" >&2
  exit 1
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target mpk-image -j"$(nproc)"
rm -rf deploy/prebuilt/bin
cmake --install "$build" --component image --strip --prefix "$PWD/deploy/prebuilt" >/dev/null
ls -l deploy/prebuilt/bin | awk 'NR > 1 {printf "  %-20s %5.1f MB\n", $9, $5 / 1e6}'
