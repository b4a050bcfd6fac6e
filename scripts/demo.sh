#!/usr/bin/env bash
# One command: install what the demo needs, build only the demo, and run it — every service plus
# the simulator — printing the URL to open. The tests need more; scripts/test.sh installs and
# builds that.
#   scripts/demo.sh [OPTION...]   options go to the demo program (e.g. --gateway.port=8080)
#   scripts/demo.sh --build-only  installs and builds, runs nothing (CI: the demo build still compiles)
#   scripts/demo.sh --tls         https/wss everywhere (browser, PBXs, Devices App, passthrough) with
#                                 certificates from a throw-away CA made at start; prints how to trust it
set -euo pipefail
cd "$(dirname "$0")/.."

# What the demo is: the targets it builds and the program it runs (in build-demo/).
demo_targets=(mpk-demo)
demo_program=(sim/demo/mpk-demo)

build=build-demo
step() { printf '\n== %s  (%d s so far)\n' "$*" "$SECONDS"; }

step "1/3 packages: the compiler and the libraries (apt-get, only what is missing)"
if [ "$(id -u)" = 0 ]; then
  bash scripts/install-deps.sh build
else
  echo "(not root: installing nothing; scripts/install-deps.sh build as root installs what is missing)"
fi

step "2/3 building ${demo_targets[*]} in $build/ (a first build compiles about 120 files: minutes on 2 cores)"
# Optimised, without debug information and without the tests, as a unity build (MPK_UNITY): the
# shortest way from nothing to a running demo.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B "$build" -DMPK_TESTS=OFF -DMPK_UNITY=ON -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
cmake --build "$build" --target "${demo_targets[@]}" -j"$(nproc)"
[ "${1:-}" = --build-only ] && exit 0

step "3/3 starting the demo"
args=()
for a in "$@"; do
  if [ "$a" = --tls ]; then args+=(--sim.tls=true); else args+=("$a"); fi
done
exec "./$build/${demo_program[0]}" "${demo_program[@]:1}" ${args[@]+"${args[@]}"}
