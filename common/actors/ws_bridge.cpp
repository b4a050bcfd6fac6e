#include "common/actors/ws_bridge.hpp"

#include "common/actors/atoms.hpp"

#include <caf/send.hpp>

namespace mpk {

ws_bridge::ws_bridge(caf::actor owner) : owner_(std::move(owner)) {}

void ws_bridge::retarget(caf::actor owner) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!closed_) {
      owner_ = std::move(owner);
      return;
    }
  }
  // The socket closed while the connection changed hands: the new owner learns it at once.
  if (owner) caf::anon_send(owner, atom::ws_closed_v, close_reason_);
}

caf::actor ws_bridge::owner() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return owner_;
}

void ws_bridge::on_open(const net::connection_ptr& conn) {
  if (auto o = owner()) caf::anon_send(o, atom::ws_open_v, conn);
}

void ws_bridge::on_message(std::string data, bool binary) {
  auto o = owner();
  if (!o) return;
  if (binary)
    caf::anon_send(o, atom::ws_binary_v, std::move(data));
  else
    caf::anon_send(o, atom::ws_text_v, std::move(data));
}

void ws_bridge::on_close(std::string reason) {
  caf::actor o;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    o = std::move(owner_); // the session drops us after this; no cycle remains
    closed_ = true;
    close_reason_ = reason;
  }
  if (o) caf::anon_send(o, atom::ws_closed_v, std::move(reason));
}

void ws_bridge::on_drained() {
  if (auto o = owner()) caf::anon_send(o, atom::ws_drained_v);
}

std::shared_ptr<ws_bridge> make_ws_bridge(caf::actor owner) { return std::make_shared<ws_bridge>(std::move(owner)); }

} // namespace mpk
