# Sourced by the scripts that run containers on this machine: `. scripts/podman-env.sh DIR`
# writes DIR/containers.conf and exports CONTAINERS_CONF, so podman uses it for this run only
# (the machine's own configuration stays as it is):
# - runc with cgroupfs: crun fails on cgroups v1 hosts ("cgroups in hybrid mode not supported")
#   and there may be no systemd to manage cgroups;
# - explicit container limits, no higher than this shell's own: a container cannot raise them
#   ("setrlimit … Operation not permitted").
podman_limit() { local hard=$1 want=$2; { [ "$hard" = unlimited ] || [ "$hard" -ge "$want" ]; } && echo "$want" || echo "$hard"; }
podman_env_nofile=$(podman_limit "$(ulimit -Hn)" 65536)
podman_env_nproc=$(podman_limit "$(ulimit -Hu)" 4096)
cat >"$1/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$podman_env_nofile:$podman_env_nofile", "nproc=$podman_env_nproc:$podman_env_nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_CONF="$1/containers.conf"
