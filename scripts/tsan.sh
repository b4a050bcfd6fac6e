#!/usr/bin/env bash
# ThreadSanitizer (-DMPK_TSAN=ON) over the code whose state is shared between threads.
# Default (CI, scripts/test.sh), build in build-tsan, Debian's libcaf:
# - test_net, all of it: websocket sessions (strand, write queue and byte count used from any
#   thread), the fan-out channel handing one message to many connections across network threads,
#   the HTTP client's kept-alive connection pool (the path of a phone session's polls: asked from
#   an actor's thread, answered on a network thread), the reverse-proxy exchange;
# - test_gateway, the cases that start no actor system: the delta encoding cache that every
#   client's hub shares (one case reads it from many threads at once), the delta merge, login
#   form, App object binding, admin-UI relay rules and relay sessions.
# The tests that run actors need a CAF built with TSan: Debian's libcaf 0.17 is not, so the atomics
# of its mailboxes and scheduler are invisible and every message handed from a network thread or
# another actor reads as a race (2026-12-07: test_gateway 385 reports, 478 run as one process,
# test_phone_session 982; each traced to such a hand-over).
# TSAN_CAF=1, build in build-tsan-caf: scripts/caf-tsan.sh builds CAF 0.17.6 from Debian's source
# with -fsanitize=thread (cached), and test_gateway (all 49 cases), test_phone_session (73),
# test_registry (56) and test_e2e (25: product and simulator in one process) run against it.
# First run 2026-12-07 on the shared 2-core machine (load average 2.6-4.0 from another build),
# from nothing without ccache: CAF 247 s, our build of the first three 655 s, test_e2e's own
# sources 73 s more, tests 103 s: 18 min in all. Found: no report from CAF, Boost or our code
# (tests/tsan plants a race between an actor's handler and main, and the run fails unless TSan
# reports it; without the race it is not reported); one from inside OpenSSL, in 6 of 8 runs of
# test_e2e, suppressed with its reason in scripts/tsan.supp. That is over the 12 minutes CI can
# spare, so it is not part of scripts/test.sh; run it after a change to how actors and network
# threads meet.
# Any report fails the run (halt_on_error; exit code 66). scripts/tsan.supp: reports proven inside
# uninstrumented library code (CAF, Boost, OpenSSL) only, one commented line each (one today).
#   TSAN_CAF   1: the actor suites against the TSan build of CAF (above), instead of the default set
#   TSAN_JOBS  build and ctest parallelism (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${TSAN_JOBS:-2}"
# ccache keyed by paths relative to the checkout (as scripts/build.sh), so clones share one cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
start=$(date +%s)
# -O1 -g1 as in scripts/sanitize.sh (usable speed, exact stack lines); the libraries as shared
# objects so the instrumented code is on disk once.
config=(-DMPK_TSAN=ON -DMPK_WERROR=ON -DMPK_SHARED_LIBS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
if [ "${TSAN_CAF:-0}" = 1 ]; then
  # Its own build directory, so that switching between the two runs rebuilds nothing.
  bash scripts/caf-tsan.sh
  build=build-tsan-caf
  config+=(-DMPK_CAF_PREFIX="$PWD/build-tsan/caf-tsan")
  # tsan_actor_race_probe: a planted race in an actor must be reported (tests/tsan).
  targets=(tsan_actor_race_probe test_gateway test_phone_session test_registry test_e2e)
  include="^tsan_|^test_gateway:|^test_phone_session:|^test_registry:|^test_e2e:"
  exclude="^\$"
else
  build=build-tsan
  config+=(-DMPK_CAF_PREFIX=)
  targets=(test_net test_gateway)
  # test_gateway's cases by the file they come from (login_form_test, app_object_binding_test,
  # delta_fanout_test, admin_ui_rules_test, relay_sessions_test); the one delta encoding case that
  # spawns an actor (for a registry's address) is left out.
  include="^test_net:|^test_gateway:(login form|app object binding|delta encoding|delta merge|admin-ui rules|relay sessions):"
  exclude="^test_gateway:delta encoding: tenants, domains and registries never share a body\$"
fi
cmake -S . -B "$build" "${config[@]}" >/dev/null
echo "tsan: building ${targets[*]} in $build"
cmake --build "$build" --target "${targets[@]}" -j"$jobs"
built=$(date +%s)

export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp"
status=0
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 600 -R "$include" -E "$exclude" || status=1
end=$(date +%s)
echo "tsan: build $((built - start))s, tests $((end - built))s, total $((end - start))s, status $status"
exit $status
