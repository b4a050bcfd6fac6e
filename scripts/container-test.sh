#!/usr/bin/env bash
# The split deployment in containers, tested as an operator runs it: deploy/docker-compose.yml
# itself (podman-compose, podman with runc) with the simulator, on a fresh Debian 12 machine as root.
#
#   1. installs podman, runc, podman-compose, mmdebstrap (scripts/install-deps.sh containers);
#   2. makes the Debian 12 base image from Debian's packages when no registry has it (deploy/base-image.sh);
#   3. builds the image: by default from the programs built on this host (deploy/pack-binaries.sh,
#      the image's fast path), with MPK_IMAGE_FROM=source compiled inside the image build instead;
#   4. `up` with lab certificates for the node links and the gateway; waits until every container is healthy;
#   5. mpk-compose-probe (tests/container): an operator logs in through the gateway container, lists
#      the devices, watches a live phone, presses keys; registry, phone-session and gateway are each
#      crashed (SIGKILL) and must come back by the restart policy, healthy, with the client
#      converged and no audit line lost;
#   6. `down` leaves no container and no network; the audit volume outlives it (the log survives
#      an update) until `down -v`, which must leave nothing behind.
#
#   MPK_IMAGE_FROM=source   compile the programs in the image build (slow: a full build without ccache)
#   MPK_KEEP=1              leave the containers running at the end (stop: the `down` line it prints)
# Logs of every container go to the work folder it prints.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
say() { printf '[%4d s] %s\n' $((SECONDS - start)) "$*"; }

if [ "$(id -u)" != 0 ]; then
  echo "container-test: run as root (podman with bridge networking, apt-get)" >&2
  exit 1
fi
bash scripts/install-deps.sh build containers

work=$(mktemp -d "${TMPDIR:-/tmp}/mpk-container-test.XXXXXX")
project="mpkct$$"
image="localhost/myphonekeys:container-test"
compose=(podman-compose -p "$project" -f deploy/docker-compose.yml)
say "work folder $work, compose project $project"

. scripts/podman-env.sh "$work"

# -- everything the run created goes, whatever happens (unless MPK_KEEP=1 on success) ----------
finished=0
save_logs() {
  for c in $(podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}' 2>/dev/null); do
    podman logs "$c" >"$work/$c.log" 2>&1 || true
  done
}
cleanup() {
  local rc=$?
  save_logs
  if [ "$finished" = 0 ]; then
    for c in $(podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}' 2>/dev/null); do
      echo "--- $c (last lines; all in $work/$c.log)"
      tail -n 15 "$work/$c.log"
    done
  fi
  if [ "${MPK_KEEP:-0}" = 1 ] && [ "$rc" = 0 ]; then
    say "kept running; stop with: CONTAINERS_CONF=$CONTAINERS_CONF ${compose[*]} down -v && podman network rm ${project}_default"
    return
  fi
  "${compose[@]}" down -v >>"$work/compose.log" 2>&1 || true
  podman network rm "${project}_default" >/dev/null 2>&1 || true
  exit "$rc"
}
trap cleanup EXIT

# -- the image ---------------------------------------------------------------------------------
bash deploy/base-image.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMPK_TESTS=ON >/dev/null
fi
cmake --build build --target mpk-compose-probe -j"$(nproc)" >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
t=$SECONDS
if [ "${MPK_IMAGE_FROM:-host}" = source ]; then
  export MPK_BINARIES=build
  say "image: compiling the programs inside the image build (no ccache there)"
else
  export MPK_BINARIES=prebuilt
  bash deploy/pack-binaries.sh build >>"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
  say "image: packing the programs built on this host (deploy/prebuilt/bin)"
fi
export MPK_IMAGE="$image"
"${compose[@]}" build >"$work/image-build.log" 2>&1 || { tail -n 40 "$work/image-build.log"; exit 1; }
say "image $image built in $((SECONDS - t)) s, $(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}')"

# -- lab certificates: a CA, the node certificate every service presents, the gateway's HTTPS one --
tls="$work/tls"
mkdir -p "$tls"
(
  cd "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mpk-test-ca -keyout ca.key -out ca.pem
  openssl req -newkey rsa:2048 -nodes -subj /CN=mpk-node -keyout node.key -out node.csr
  openssl x509 -req -in node.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out node.pem
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout https.key -out https.pem
  chmod 0644 node.key https.key  # read by the service user in the containers (a lab CA, gone after the run)
) >"$work/tls.log" 2>&1

# -- up --------------------------------------------------------------------------------------------
export MPK_TLS_DIR="$tls"
export MPK_HTTPS_PORT="127.0.0.1:" MPK_SIM_PORT="127.0.0.1:"  # a free port on loopback, chosen by the system
MPK_GATEWAY_PASSWORD="app-$(openssl rand -hex 8)"
MPK_GATEWAY_OPERATOR_PASSWORD="op-$(openssl rand -hex 8)"
export MPK_GATEWAY_PASSWORD MPK_GATEWAY_OPERATOR_PASSWORD
t=$SECONDS
"${compose[@]}" up -d >"$work/compose.log" 2>&1 || { tail -n 40 "$work/compose.log"; exit 1; }
services=(registry phone-session gateway sim)
healthy() { podman healthcheck run "${project}_$1_1" >/dev/null 2>&1; }
for s in "${services[@]}"; do
  until healthy "$s"; do
    if ((SECONDS - t > 90)); then
      say "FAIL: $s did not become healthy within 90 s"
      exit 1
    fi
    sleep 0.5
  done
done
say "up: ${services[*]} running and healthy after $((SECONDS - t)) s"
gateway_port=$(podman port "${project}_gateway_1" 8443 | sed 's/.*://')
audit_dir=$(podman volume inspect --format '{{.Mountpoint}}' "${project}_audit")
say "gateway on 127.0.0.1:$gateway_port; audit volume ${project}_audit"

# -- the operator, the crashes and the recoveries -------------------------------------------------
MPK_OPERATOR_PASSWORD="$MPK_GATEWAY_OPERATOR_PASSWORD" build/tests/container/mpk-compose-probe \
  --gateway-port="$gateway_port" --project="$project" --audit-file="$audit_dir/myphonekeys-audit.jsonl" |
  tee "$work/probe.log"
for s in "${services[@]}"; do
  healthy "$s" || { say "FAIL: $s is not healthy after the crashes"; exit 1; }
done
say "every container healthy after the crashes"
audit_lines=$(wc -l <"$audit_dir/myphonekeys-audit.jsonl")

# -- down: nothing left but the audit volume; down -v: nothing at all -----------------------------
leftovers() {
  podman ps -a --filter "label=io.podman.compose.project=$project" --format 'container {{.Names}}'
  podman network ls --format 'network {{.Name}}' | grep -F "network ${project}_" || true
  podman volume ls --format 'volume {{.Name}}' | grep -F "volume ${project}_" || true
}
save_logs
# stop: SIGTERM, then each service drains and exits by itself (exit code 0) within the grace time.
t=$SECONDS
"${compose[@]}" stop >>"$work/compose.log" 2>&1
for s in "${services[@]}"; do
  code=$(podman inspect --format '{{.State.ExitCode}}' "${project}_${s}_1")
  [ "$code" = 0 ] || { say "FAIL: $s exited with $code on SIGTERM"; exit 1; }
done
say "stop: every service drained and exited with 0 ($((SECONDS - t)) s for all)"
"${compose[@]}" down >>"$work/compose.log" 2>&1
# podman-compose 1.0.3 removes containers (and with -v volumes) but not the project's network.
podman network rm "${project}_default" >/dev/null
left=$(leftovers)
if [ "$left" != "volume ${project}_audit" ]; then
  say "FAIL: after down expected only the audit volume, found: ${left:-nothing}"
  exit 1
fi
if [ "$(wc -l <"$audit_dir/myphonekeys-audit.jsonl")" != "$audit_lines" ]; then
  say "FAIL: the audit log changed with down"
  exit 1
fi
say "down: no container, no network; the audit volume keeps its $audit_lines lines"
if [ "${MPK_KEEP:-0}" = 1 ]; then
  "${compose[@]}" up -d >>"$work/compose.log" 2>&1
  finished=1
  say "PASS in $((SECONDS - start)) s (up again as asked: MPK_KEEP=1)"
  exit 0
fi
"${compose[@]}" down -v >>"$work/compose.log" 2>&1
left=$(leftovers)
if [ -n "$left" ]; then
  say "FAIL: after down -v left behind: $left"
  exit 1
fi
say "down -v: nothing left behind"
finished=1
say "PASS in $((SECONDS - start)) s"
