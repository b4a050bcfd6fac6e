#!/bin/sh
# The docker-compose topology as plain processes on 127.0.0.1 (no Docker engine needed):
# registry, phone-session node(s), gateway, and with --demo the simulator.
#
#   deploy/run-local.sh [--build DIR] [--phones N] [--demo] [--base-port P]
#
# Ports: registry node P, phone-session nodes P+10.., gateway HTTP P+80, simulator P+90
# (default P = 24100). Logs in $MPK_RUN_DIR (default: a fresh temporary directory).
# Ctrl+C / SIGTERM stops everything: SIGTERM to each process, SIGKILL after 10 s.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build"
phones=1
demo=0
base=24100
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --phones) phones=$2; shift 2 ;;
    --demo) demo=1; shift ;;
    --base-port) base=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

bin() {
  for d in services/$1-main services/$1 sim/app; do
    [ -x "$build/$d/$2" ] && { echo "$build/$d/$2"; return 0; }
  done
  echo "missing $2 in $build (build it: cmake --build $build --target $2)" >&2
  exit 1
}
registry_bin=$(bin registry mpk-registry)
phones_bin=$(bin phone-session mpk-phone-session)
gateway_bin=$(bin gateway mpk-gateway)

run_dir=${MPK_RUN_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/mpk-run.XXXXXX")}
mkdir -p "$run_dir"
pids=""
stop_all() {
  trap - INT TERM EXIT
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  i=0
  while [ $i -lt 100 ]; do
    alive=0
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.1; i=$((i + 1))
  done
  for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
  echo "stopped; logs in $run_dir"
}
trap stop_all INT TERM EXIT

password=${MPK_GATEWAY_PASSWORD:-local-app-password}
operator=${MPK_GATEWAY_OPERATOR_PASSWORD:-local}
registry_port=$base
gateway_port=$((base + 80))
sim_port=$((base + 90))

"$registry_bin" --node.port=$registry_port --node.health-port=$((base + 1)) \
  >"$run_dir/registry.out" 2>"$run_dir/registry.log" &
pids="$pids $!"

peers=""
n=0
while [ $n -lt "$phones" ]; do
  port=$((base + 10 + 2 * n))
  "$phones_bin" --node.port=$port --node.health-port=$((port + 1)) --node.registry=127.0.0.1:$registry_port \
    --phone.audit-path="$run_dir/audit-$n.jsonl" --phone.key-labels-path="$run_dir/key-labels-$n.json" >"$run_dir/phone-session-$n.out" 2>"$run_dir/phone-session-$n.log" &
  pids="$pids $!"
  peers="$peers${peers:+,}127.0.0.1:$port"
  n=$((n + 1))
done

MPK_GATEWAY_PASSWORD=$password MPK_GATEWAY_OPERATOR_PASSWORD=$operator \
"$gateway_bin" --gateway.port=$gateway_port --node.registry=127.0.0.1:$registry_port --node.phones="$peers" \
  >"$run_dir/gateway.out" 2>"$run_dir/gateway.log" &
pids="$pids $!"

if [ $demo -eq 1 ]; then
  sim_bin=$(bin sim mpk-sim)
  MPK_APP_PASSWORD=$password "$sim_bin" --port=$sim_port \
    --product-url="ws://127.0.0.1:$gateway_port/{system}/myphonekeys" \
    --app-url="http://127.0.0.1:$gateway_port/{system}/myphonekeys/innovaphone-myphonekeys" \
    >"$run_dir/sim.out" 2>"$run_dir/sim.log" &
  pids="$pids $!"
fi

echo "myPhoneKeys (split) on http://127.0.0.1:$gateway_port/<domain>/<instance>/innovaphone-myphonekeys.htm"
echo "  operator login: admin / $operator   health: http://127.0.0.1:$gateway_port/healthz"
[ $demo -eq 1 ] && echo "  simulator: http://127.0.0.1:$sim_port/shell/"
echo "  logs: $run_dir   (Ctrl+C stops everything)"
# Wait until a signal or until every process has gone.
while :; do
  alive=0
  for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ $alive -eq 0 ] && break
  sleep 1
done
