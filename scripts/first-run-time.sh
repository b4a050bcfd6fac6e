#!/usr/bin/env bash
# Measures a newcomer's first run: from `git clone` to the URL scripts/demo.sh prints, on a fresh
# Debian 12 root — a podman container of Debian's minimal base (deploy/base-image.sh), so nothing
# installed on this machine can hide a missing step. Clones the committed HEAD (as a bundle).
# Run as root; prints the time and keeps the whole output in the work folder it names.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh containers
work=$(mktemp -d "${TMPDIR:-/tmp}/mpk-first-run.XXXXXX")
. scripts/podman-env.sh "$work"
bash deploy/base-image.sh
git bundle create "$work/myphonekeys.bundle" HEAD 2>/dev/null
echo "first run of $(git rev-parse --short HEAD) on a fresh Debian 12 root; $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo); output in $work/first-run.log"

# git and the CA certificates are what it takes to clone at all: installed before the clock starts,
# then the package lists are dropped again so that the demo's own apt-get starts from nothing.
cat >"$work/first-run.sh" <<'EOF'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null
rm -rf /var/lib/apt/lists/*
start=$(date +%s.%N)
git clone -q /in/myphonekeys.bundle /root/myphonekeys
cd /root/myphonekeys
bash scripts/demo.sh >/root/demo.log 2>&1 &
until grep -q '  Open http.*/shell/' /root/demo.log; do
  kill -0 $! 2>/dev/null || { cat /root/demo.log; echo "FAIL: the demo ended without its URL"; exit 1; }
  sleep 0.2
done
cat /root/demo.log
# The processor time this container used (all of it: apt, git, the compiler): with other work on
# the machine the wall time grows, this does not.
cpu=$(cat /sys/fs/cgroup/cpuacct/cpuacct.usage 2>/dev/null || echo 0)
awk -v s="$start" -v e="$(date +%s.%N)" -v cpu="$cpu" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  t = e - s; printf "FIRST RUN: %.0f s (%d min %02d s) from git clone to the printed URL; %.0f s of processor time; load average %s\n", t, t / 60, t % 60, cpu / 1e9, load }'
EOF
podman run --rm --init -v "$work:/in:ro" docker.io/library/debian:bookworm-slim bash /in/first-run.sh 2>&1 |
  tee "$work/first-run.log" | grep -E '^== |FIRST RUN|FAIL|Open '
