#pragma once
// The container test's view of a container: its state as podman reports it, its health check,
// and a crash of the service program inside it.

#include <optional>
#include <string>

namespace mpk::test {

struct container_state {
  bool running = false;
  int restarts = 0; ///< podman's RestartCount: how often the restart policy started it again
  int pid = 0;      ///< the container's first process on this host (its init with `init: true`)
};

/// `podman inspect` of one container; nullopt if podman does not know it.
std::optional<container_state> inspect_container(const std::string& name);

/// `podman healthcheck run`: true when the container's own health check passes now.
bool container_healthy(const std::string& name);

/// SIGKILL to the service program in the container — the child of the container's init, or the
/// first process itself without one — as a crash or the kernel's OOM killer would end it. (`podman
/// kill` would not do: podman, like Docker, takes it as a stop by the user and does not apply the
/// restart policy.) Returns the host PID that was killed, 0 if none was found.
int crash_service(const std::string& name, std::string& error);

} // namespace mpk::test
