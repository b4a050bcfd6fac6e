#!/usr/bin/env bash
# One command: install what is missing, build, and run every test (unit, integration over real
# websockets and processes on 127.0.0.1, browser tests in real Chromium, a bounded run of every
# fuzz target). The ASan+UBSan run of the suite is `bash scripts/sanitize.sh` (see docs/security.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
status=0
ctest --test-dir build --output-on-failure -j2 || status=1
# Every libFuzzer target for a bounded time on its seed corpus and regression inputs (clang build).
FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash scripts/fuzz.sh || status=1
if [ -f tests/browser/package.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && MPK_BUILD_DIR="$PWD/../../build" npm test) || status=1
fi
exit $status
