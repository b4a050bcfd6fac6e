#!/bin/sh
# typed_messages.sh CXX SOURCE_ROOT
# A message a typed handle does not list fails to compile: each case of
# typed_messages/send_to_services.cpp (to the registry, the phone manager, a watcher) must be
# refused by the compiler with CAF's "does not accept"
# assertion, and the file without a case must compile (so a refusal is about the message, not a
# missing include).
set -u
cxx=$1 root=$2
src=$root/tests/architecture/typed_messages/send_to_services.cpp
compile() { "$cxx" -std=c++17 -fsyntax-only -I"$root" "$@" "$src" 2>&1; }

if ! out=$(compile); then
  echo "the well-typed messages do not compile:" >&2
  printf '%s\n' "$out" | head -20 >&2
  exit 1
fi
echo "well-typed messages: compile"

status=0
for case in WRONG_ARGUMENT NOT_IN_INTERFACE INTERNAL UNTYPED_WATCHER MANAGER_DRAIN WATCHER_DELTA; do
  if out=$(compile -DMPK_CASE_$case); then
    echo "$case: compiled, but the handle does not list that message" >&2
    status=1
  elif printf '%s\n' "$out" | grep -q "receiver does not accept given message"; then
    echo "$case: refused by the compiler (receiver does not accept given message)"
  else
    echo "$case: failed to compile for another reason:" >&2
    printf '%s\n' "$out" | grep -m5 "error" >&2
    status=1
  fi
done
exit $status
