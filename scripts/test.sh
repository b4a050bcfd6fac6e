#!/usr/bin/env bash
# One command: install what is missing, build, and run every test (unit, integration over real
# websockets and processes on 127.0.0.1, the same C++ suite again under AddressSanitizer +
# UndefinedBehaviorSanitizer, the threaded network code under ThreadSanitizer, browser tests in
# real Chromium, a bounded run of every fuzz target).
#   SANITIZE=0  leaves the sanitizer run out (a quick local run; CI always runs it)
#   TSAN=0      leaves the ThreadSanitizer run out (likewise)
#   CONTAINERS=0 leaves the container test out (scripts/container-test.sh: the compose file in
#                podman, as root; a few minutes on a fresh machine, under a minute after that)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
# The fan-out benchmark's Node.js references (bench_smoke runs them when `ws` is installed).
(cd bench/node-ws && npm ci --no-audit --no-fund --loglevel=error) ||
  echo "bench/node-ws: npm ci failed; bench_smoke leaves the Node.js references out"
# ESLint for web/ and the browser tests (ctest lint_web), pinned in tests/lint/package-lock.json.
(cd tests/lint && npm ci --no-audit --no-fund --loglevel=error) || echo "tests/lint: npm ci failed; lint_web fails"
status=0
ctest --test-dir build --output-on-failure -j2 || status=1
# The whole C++ suite under ASan+UBSan in build-asan: any sanitizer report fails (docs/security.md).
if [ "${SANITIZE:-1}" != 0 ]; then
  bash scripts/sanitize.sh || status=1
fi
# The network code and the gateway's actors under ThreadSanitizer, against CAF built with TSan from
# Debian's source (build-tsan-caf; what runs and why: scripts/tsan.sh, docs/security.md).
if [ "${TSAN:-1}" != 0 ]; then
  bash scripts/tsan.sh || status=1
fi
# Every libFuzzer target for a bounded time on its seed corpus and regression inputs (clang build).
FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash scripts/fuzz.sh || status=1
if [ -f tests/browser/package.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && MPK_BUILD_DIR="$PWD/../../build" npm test) || status=1
fi
# The demo's own build (a unity build in build-demo/) must keep compiling: a newcomer's first run.
demo_log="${TMPDIR:-/tmp}/mpk-demo-build.$$.log"
bash scripts/demo.sh --build-only >"$demo_log" 2>&1 || { tail -n 40 "$demo_log"; echo "the demo build failed"; status=1; }
rm -f "$demo_log"
# deploy/docker-compose.yml for real: the image, the containers, each service crashed and back.
if [ "${CONTAINERS:-1}" != 0 ]; then
  bash scripts/container-test.sh || status=1
fi
exit $status
