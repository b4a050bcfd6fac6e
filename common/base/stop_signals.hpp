#pragma once
/// How every binary stops: SIGINT/SIGTERM are taken by sigwait in main only. SIGHUP asks a
/// binary to read its reloadable files again (the phone sessions' wire file); binaries without
/// any log it and go on.

#include <functional>

namespace mpk {

/// Blocks SIGINT, SIGTERM and SIGHUP (every thread started later inherits the mask, so only
/// wait_for_stop_signal sees them) and ignores SIGPIPE (a peer closing a socket is an error
/// result, not a process exit). Call first thing in main.
void block_stop_signals();

/// Blocks until SIGINT or SIGTERM arrives; logs which. Each SIGHUP meanwhile calls `on_hangup`.
void wait_for_stop_signal(const std::function<void()>& on_hangup = {});

} // namespace mpk
