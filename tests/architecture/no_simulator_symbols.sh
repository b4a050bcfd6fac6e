#!/bin/sh
# no_simulator_symbols.sh NM DEMO PRODUCT...
# No product binary carries the simulator: none defines a symbol of the namespace mpk::sim
# (mangled, every such name holds "3mpk3sim"). The demo program must define some (it links the
# simulator), so an nm that reads nothing fails the check too.
set -eu
nm_tool=$1 demo=$2
shift 2

count_sim_symbols() {
  symbols=$("$nm_tool" --defined-only "$1") || { echo "$nm_tool could not read $1" >&2; exit 1; }
  printf '%s\n' "$symbols" | grep -c '3mpk3sim' || true
}

n=$(count_sim_symbols "$demo")
if [ "$n" -eq 0 ]; then
  echo "no mpk::sim symbol in $demo: the check reads nothing" >&2
  exit 1
fi
echo "$demo: $n simulator symbols (expected: the demo links the simulator)"

for binary in "$@"; do
  n=$(count_sim_symbols "$binary")
  if [ "$n" -gt 0 ]; then
    echo "$binary carries $n simulator symbols, e.g.:" >&2
    "$nm_tool" -C --defined-only "$binary" | grep 'mpk::sim::' | head -5 >&2
    exit 1
  fi
  echo "$binary: no simulator symbol"
done
