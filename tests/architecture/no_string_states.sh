#!/bin/sh
# no_string_states.sh SOURCE_ROOT
# State machines are enum classes: no service decides by comparing a state, phase or kind with a
# string literal (`phase == "online"`, `u.kind != "delta"`). Wire names stay strings where they
# are parsed or written (JSON members, message types), and that is what this does not match.
set -u
root=$1
pattern='\b(state|phase|kind|stage|mode)\b[)]?[[:space:]]*[!=]=[[:space:]]*"'
found=$(grep -rnE "$pattern" "$root/services" --include='*.cpp' --include='*.hpp' || true)
if [ -n "$found" ]; then
  echo "states compared with strings in services/ (use an enum class):" >&2
  printf '%s\n' "$found" >&2
  exit 1
fi
echo "no state, phase or kind of services/ is compared with a string literal"
