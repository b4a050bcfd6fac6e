#!/usr/bin/env bash
# ThreadSanitizer (-DMPK_TSAN=ON, build in build-tsan) over the code whose state is shared between
# threads without an actor's mailbox in between:
# - test_net, all of it: websocket sessions (strand, write queue and byte count used from any
#   thread), the fan-out channel handing one message to many connections across network threads,
#   the HTTP client's kept-alive connection pool (the path of a phone session's polls: asked from
#   an actor's thread, answered on a network thread), the reverse-proxy exchange;
# - test_gateway, the cases that start no actor system: the delta encoding cache that every
#   client's hub shares (one case reads it from many threads at once), the delta merge, login
#   form, App object binding, admin-UI relay rules and relay sessions.
# Left out: every test that runs actors (the rest of test_gateway, test_phone_session, test_e2e,
# test_registry, test_cluster). Debian's libcaf 0.17 is not built with TSan, so the atomics of its
# mailboxes and scheduler are invisible: every message handed from a network thread or another
# actor, every actor state moved between CAF workers and every message freed on another thread
# than it was made on is reported as a race (test_gateway 385 reports, test_phone_session 982 in
# 31 of 73 cases, 2026-12-07; each one traced to such a hand-over, none to our shared state; the
# same with one CAF worker). A suppression cannot tell a message's contents from our own state
# (both are plain memory reached through CAF's match_case frames), so none is written; checking
# those tests needs a libcaf built with -fsanitize=thread.
# Any report fails the run (halt_on_error; exit code 66). scripts/tsan.supp: reports proven inside
# uninstrumented CAF or Boost code only, one commented line each (none needed today).
#   TSAN_JOBS  build and ctest parallelism (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${TSAN_JOBS:-2}"
# ccache keyed by paths relative to the checkout (as scripts/build.sh), so clones share one cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
build=build-tsan
start=$(date +%s)

# -O1 -g1 as in scripts/sanitize.sh (usable speed, exact stack lines); the libraries as shared
# objects so the instrumented code is on disk once.
cmake -S . -B "$build" -DMPK_TSAN=ON -DMPK_WERROR=ON -DMPK_SHARED_LIBS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" >/dev/null
echo "tsan: building test_net test_gateway"
cmake --build "$build" --target test_net test_gateway -j"$jobs"
built=$(date +%s)

export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp"
# test_gateway's cases by the file they come from (login_form_test, app_object_binding_test,
# delta_fanout_test, admin_ui_rules_test, relay_sessions_test); the one delta encoding case that
# spawns an actor (for a registry's address) is left out.
include="^test_net:|^test_gateway:(login form|app object binding|delta encoding|delta merge|admin-ui rules|relay sessions):"
exclude="^test_gateway:delta encoding: tenants, domains and registries never share a body\$"
status=0
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 600 -R "$include" -E "$exclude" || status=1
end=$(date +%s)
echo "tsan: build $((built - start))s, tests $((end - built))s, total $((end - start))s, status $status"
exit $status
