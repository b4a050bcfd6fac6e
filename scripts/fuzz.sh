#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) in build-fuzz and runs each one for a bounded
# time on its seed corpus (fuzz/corpus/<target>) and its regression inputs (fuzz/regressions/<target>).
# Fails on the first crash, leak, sanitizer report or timeout. New inputs found during the run go to
# build-fuzz/corpus/<target> (not to the repository).
#   FUZZ_SECONDS  time per target (default 10)
#   FUZZ_RUNS     executions per target instead (a campaign, docs/security.md "Fuzz campaign");
#                 FUZZ_SECONDS then only caps the time (default: none)
#   FUZZ_TARGETS  space-separated subset (default: all)
#   FUZZ_JOBS     build parallelism (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${FUZZ_RUNS:-}"
if [ -n "$runs" ]; then seconds="${FUZZ_SECONDS:-0}"; limit="-runs=$runs"; else seconds="${FUZZ_SECONDS:-10}"; limit=""; fi
jobs="${FUZZ_JOBS:-2}"
build=build-fuzz
targets="${FUZZ_TARGETS:-envelope devices_sync sysclient bmp http_response phone_xml http_digest}"

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is missing (Debian: apt-get install clang)" >&2
  exit 1
fi

mkdir -p "$build"
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -g -O1"
CC=clang CXX=clang++ cmake -S . -B "$build" -DMPK_FUZZ=ON -DMPK_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }
names=()
for t in $targets; do names+=("fuzz_$t"); done
cmake --build "$build" --target "${names[@]}" -j"$jobs"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for t in $targets; do
  bin="$build/fuzz/fuzz_$t"
  work="$build/corpus/$t"
  mkdir -p "$work" "$build/artifacts/$t"
  # Regression inputs (former crashes) first: each must run clean.
  if [ -d "fuzz/regressions/$t" ] && [ -n "$(ls -A "fuzz/regressions/$t")" ]; then
    if ! "$bin" -runs=0 "fuzz/regressions/$t"/* >"$build/artifacts/$t/regressions.log" 2>&1; then
      echo "fuzz_$t: a regression input fails again:"; tail -40 "$build/artifacts/$t/regressions.log"; status=1; continue
    fi
  fi
  start=$(date +%s)
  if "$bin" -max_total_time="$seconds" $limit -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$build/artifacts/$t/" -print_final_stats=1 "$work" "fuzz/corpus/$t" \
       >"$build/artifacts/$t/run.log" 2>&1; then
    execs=$(grep -m1 'stat::number_of_executed_units' "$build/artifacts/$t/run.log" | awk '{print $2}')
    # The last status line: coverage (edges), features and the corpus the run ended with.
    last=$(grep -E '^#[0-9]+' "$build/artifacts/$t/run.log" | tail -1 | grep -oE '(cov|ft|corp): [^ ]+' | tr "\n" " " || true)
    echo "fuzz_$t: ok, ${execs:-?} executions in $(( $(date +%s) - start ))s, no crash; ${last}"
  else
    echo "fuzz_$t: FAILED (artifacts in $build/artifacts/$t)"; tail -60 "$build/artifacts/$t/run.log"; status=1
  fi
done
exit $status
