#!/usr/bin/env bash
# One command: install what is missing, build, and run the product on its embedded default —
# all services in one process plus the simulator — printing the URL to open.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec ./build/services/all-in-one/mpk-allinone --demo "$@"
