#!/usr/bin/env bash
# CAF 0.17.6 as Debian 12 ships it (source package actor-framework 0.17.6-2.1), built with
# ThreadSanitizer into build-tsan/caf-tsan, for `cmake -DMPK_CAF_PREFIX=...` (scripts/tsan.sh).
# Debian's libcaf is not instrumented, so TSan cannot see the atomics of CAF's mailboxes and
# scheduler and reads every message hand-over between actors as a race; with this build it can.
# - Source from Debian's archive only: the .dsc is pinned by its sha256 (from bookworm's Sources
#   index), the .orig.tar.gz and .debian.tar.xz are checked against the sha256 the .dsc lists,
#   and debian/patches are applied in quilt order with patch -p1. Where the archive does not
#   serve the .debian.tar.xz (seen on a mirror), the headers come as libcaf-dev installed them
#   (see below); -std=c++14, which a Debian patch puts into CMakeLists.txt, is given as a flag.
# - Only libcaf_core, libcaf_io and libcaf_openssl (no examples, tools, unit tests, Python,
#   OpenCL), -fsanitize=thread -O1 -g1, shared, with an rpath to its own lib dir.
# - Cached: a stamp names the source and flags; a second run with the same ones does nothing.
#   Cold, measured 2026-12-07 on the shared 2-core build machine (load average 3.4-4.0 from
#   another build): 247 s (236 s of CPU time), 32 MB installed.
# Needs curl (scripts/install-deps.sh), xz-utils and patch (build-essential brings both).
#   CAF_TSAN_PREFIX  where to install (default build-tsan/caf-tsan)
#   TSAN_JOBS        build parallelism (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${CAF_TSAN_PREFIX:-$PWD/build-tsan/caf-tsan}"
jobs="${TSAN_JOBS:-2}"
pool=http://deb.debian.org/debian/pool/main/a/actor-framework
dsc=actor-framework_0.17.6-2.1.dsc
dsc_sha256=7ccc9d9c7585dde8695132dcb48ee4935aa9c56cab382ecb9b925fe9c2de1da8
orig=actor-framework_0.17.6.orig.tar.gz
debian=actor-framework_0.17.6-2.1.debian.tar.xz
cxxflags="-std=c++14 -fsanitize=thread"
config="$dsc $cxxflags -O1 -g1"
stamp="$prefix/.built-from"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$config" ]; then
  echo "caf-tsan: $prefix is up to date"
  exit 0
fi

work="$(dirname "$prefix")/caf-tsan-src"
rm -rf "$work" "$prefix"
mkdir -p "$work"
cd "$work"
start=$(date +%s)
# Bounded, so that an unreachable or stalled archive ends the script (tsan.sh then falls back)
# instead of holding the CI run.
fetch() { curl -fsS --retry 3 --connect-timeout 20 --max-time 300 -O "$1"; }
fetch "$pool/$dsc"
echo "$dsc_sha256  $dsc" | sha256sum -c --quiet
# The sha256 the .dsc lists for a file of it.
listed_sha256() { awk -v f="$1" '/^Checksums-Sha256:/ {on = 1; next} /^[^ ]/ {on = 0} on && $3 == f {print $1}' "$dsc"; }
fetch "$pool/$orig"
echo "$(listed_sha256 "$orig")  $orig" | sha256sum -c --quiet
tar xzf "$orig"
src="$work/actor-framework-0.17.6"
if fetch "$pool/$debian" 2>/dev/null; then
  echo "$(listed_sha256 "$debian")  $debian" | sha256sum -c --quiet
  tar xJf "$debian" -C "$src"
  if [ -f "$src/debian/patches/series" ]; then
    grep -v '^\s*\(#\|$\)' "$src/debian/patches/series" | while read -r p _; do
      echo "caf-tsan: applying debian/patches/$p"
      patch -d "$src" -p1 --quiet <"$src/debian/patches/$p"
    done
  fi
else
  # Debian's patches to the headers are in the headers libcaf-dev installed (scripts/install-deps.sh):
  # take those that differ from upstream (0.17.6-2.1: <limits> in receive_buffer.hpp, which g++ 12
  # needs). Not covered this way: a patch to a .cpp file (0.17.6-1 took upstream PR #1135, by
  # CAF's changelog a fix for UDP brokers, which this product does not use).
  echo "caf-tsan: $pool does not serve $debian; taking Debian's patched headers from /usr/include"
  for module in core io openssl; do
    (cd "$src/libcaf_$module" && find caf -name '*.hpp') | while read -r header; do
      installed="/usr/include/$header"
      if [ -f "$installed" ] && ! cmp -s "$installed" "$src/libcaf_$module/$header"; then
        echo "caf-tsan: $header as Debian installs it"
        cp "$installed" "$src/libcaf_$module/$header"
      fi
    done
  done
fi

CCACHE_DISABLE=1 cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_INSTALL_RPATH="$prefix/lib" \
  -DCAF_NO_EXAMPLES=yes -DCAF_NO_TOOLS=yes -DCAF_NO_UNIT_TESTS=yes -DCAF_NO_PYTHON=yes \
  -DCAF_NO_OPENCL=yes -DCAF_NO_SUMMARY=yes -DCAF_NO_COMPILER_CHECK=yes >"$work/cmake.log"
echo "caf-tsan: building libcaf_core, libcaf_io, libcaf_openssl with -fsanitize=thread"
CCACHE_DISABLE=1 cmake --build "$work/build" -j"$jobs" >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
cmake --install "$work/build" >/dev/null
echo "$config" >"$stamp"
rm -rf "$work"
echo "caf-tsan: built in $(($(date +%s) - start))s into $prefix"
