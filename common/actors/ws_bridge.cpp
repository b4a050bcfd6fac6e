#include "common/actors/ws_bridge.hpp"

#include "common/actors/atoms.hpp"

#include <caf/send.hpp>

namespace mpk {

namespace {

class ws_bridge final : public net::connection_handler {
public:
  explicit ws_bridge(caf::actor owner) : owner_(std::move(owner)) {}

  void on_open(const net::connection_ptr& conn) override { caf::anon_send(owner_, atom::ws_open_v, conn); }

  void on_message(std::string data, bool binary) override {
    if (binary) caf::anon_send(owner_, atom::ws_binary_v, std::move(data));
    else caf::anon_send(owner_, atom::ws_text_v, std::move(data));
  }

  void on_close(std::string reason) override {
    caf::anon_send(owner_, atom::ws_closed_v, std::move(reason));
    owner_ = nullptr;  // the session drops us after this; no cycle remains
  }

private:
  caf::actor owner_;
};

} // namespace

net::handler_ptr make_ws_bridge(caf::actor owner) { return std::make_shared<ws_bridge>(std::move(owner)); }

} // namespace mpk
