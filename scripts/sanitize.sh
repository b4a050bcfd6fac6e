#!/usr/bin/env bash
# The C++ test suite under AddressSanitizer + UndefinedBehaviorSanitizer (-DMPK_SANITIZE=ON) in
# build-asan: every Catch2 test binary (unit and integration, tests/<area>/) and the product binary
# the end-to-end tests start, built by name (not "all": benchmarks and tools are left out), then
# ctest with halt-on-error sanitizers. Any sanitizer report fails the run. The project's libraries
# are shared objects here (MPK_SHARED_LIBS): instrumented, common/net alone is ~450 MB, and static
# linking copied it into every test binary (an 8 GB build that once filled a CI machine's disk).
#   SANITIZE_JOBS     build and ctest parallelism (default 2)
#   SANITIZE_EXCLUDE  ctest -E regex of further tests left out (bench_smoke always is)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${SANITIZE_JOBS:-2}"
# ccache keyed by paths relative to the checkout (as scripts/build.sh), so clones share one cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
build=build-asan
start=$(date +%s)

# -O1 -g1: what the sanitizer documentation recommends (usable speed, exact stack lines); -O2 -g
# made the Beast translation units take several times longer to compile under ASan.
cmake -S . -B "$build" -DMPK_SANITIZE=ON -DMPK_SHARED_LIBS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" >/dev/null
# Every test_<area> target the tree defines (the list follows the tests/ folders as they come).
help=$(cmake --build "$build" --target help)
mapfile -t targets < <(sed -n 's/^\.\.\. \(test_[A-Za-z0-9_]*\).*/\1/p' <<<"$help" | sort -u)
# The product binaries and the demo (the hostile and cluster tests run them, the architecture
# check reads them).
for t in mpk-allinone mpk-demo mpk-gateway mpk-registry mpk-phone-session; do
  if grep -q "^\.\.\. $t\$" <<<"$help"; then targets+=("$t"); fi
done
echo "sanitize: building ${targets[*]}"
cmake --build "$build" --target "${targets[@]}" -j"$jobs"
built=$(date +%s)

# halt_on_error: the first report ends the test with a failure. detect_leaks=1: LeakSanitizer checks
# every test process and every product process the tests start (test_cluster asserts a clean exit
# status after SIGTERM).
# Shutdowns wait (bounded) until connections and actors are gone (gateway::drain), so no websocket
# and its actor are left holding each other at exit. SANITIZE_LEAKS=0 turns the check off.
export ASAN_OPTIONS="detect_leaks=${SANITIZE_LEAKS:-1}:halt_on_error=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
# scripts/ubsan.supp: known reports inside CAF headers only, one commented line each.
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$PWD/scripts/ubsan.supp"
# bench_smoke runs the benchmark programs, which this build leaves out (timings under ASan mean nothing).
# Left out: the benchmark and soak smoke runs (their programs are not built here; they run in the
# plain build).
exclude=(-E "^(bench_smoke|soak_smoke)\$${SANITIZE_EXCLUDE:+|$SANITIZE_EXCLUDE}")
status=0
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 600 "${exclude[@]}" || status=1
end=$(date +%s)
echo "sanitize: build $((built - start))s, tests $((end - built))s, total $((end - start))s, status $status"
exit $status
