#pragma once
/// How every binary stops: SIGINT/SIGTERM are taken by sigwait in main only.

namespace mpk {

/// Blocks SIGINT and SIGTERM (every thread started later inherits the mask, so only
/// wait_for_stop_signal sees them) and ignores SIGPIPE (a peer closing a socket is an error
/// result, not a process exit). Call first thing in main.
void block_stop_signals();

/// Blocks until SIGINT or SIGTERM arrives; logs which.
void wait_for_stop_signal();

} // namespace mpk
