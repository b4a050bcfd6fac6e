#pragma once
// Deferred work on the Asio threads, for code that does not run inside an actor (the simulator, glue).

#include <chrono>
#include <functional>
#include <memory>

namespace mpk::net {

class io_runtime;

/// A pending call; cancel() prevents it if it has not run yet.
class scheduled {
public:
  virtual ~scheduled() = default;
  virtual void cancel() = 0;
};

/// Runs `fn` on an Asio thread as soon as possible.
void post(io_runtime& rt, std::function<void()> fn);

/// Runs `fn` on an Asio thread after `delay`.
std::shared_ptr<scheduled> run_after(io_runtime& rt, std::chrono::milliseconds delay, std::function<void()> fn);

} // namespace mpk::net
