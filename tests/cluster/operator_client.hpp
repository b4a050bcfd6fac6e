#pragma once
// Test helper: an operator browser over a real websocket to a gateway on 127.0.0.1 — logged in,
// with a subscribed device list and optionally one watched phone whose LCD frames it acks.

#include "common/net/io_runtime.hpp"
#include "tests/sim/ws_client.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mpk::test {

/// The operator password the cluster tests give their gateways.
inline constexpr const char* cluster_operator_password = "cluster-op-pw";

/// An operator logged in to the gateway with a subscribed device list and optionally one watched phone.
class browser {
public:
  /// Over wss, verified with `ca_file`, when that is not empty.
  browser(net::io_runtime& io, unsigned short gateway_port, const std::string& password = cluster_operator_password,
          const std::string& ca_file = {});
  bool ok() const { return ok_; }
  std::string error;
  /// QueryDevices {subscribe:true, limit:500}, src "list".
  bool subscribe();
  /// Watch {device}, src "watch"; true on a WatchResult.
  bool watch(const std::string& device);
  /// Key {device: the watched one, key}, src "key"; true on a KeyResult with ok, its text in `answer`.
  bool key(const std::string& name, std::string* answer = nullptr);
  /// Reads frames for up to `d`: keeps the list, counts and acks LCD frames.
  void pump(std::chrono::milliseconds d);
  /// Pumps until `pred()` or the timeout; true if it held.
  template <class Pred>
  bool pump_until(Pred pred, std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() >= end || closed()) return pred();
      pump(std::chrono::milliseconds(100));
    }
    return true;
  }
  bool closed() const { return ws_ && ws_->closed(); }

  struct device {
    std::string hw_id;
    bool online = false;
    bool operator==(const device& o) const { return hw_id == o.hw_id && online == o.online; }
  };
  std::map<std::string, device> devices; ///< by id
  std::size_t frames = 0, resets = 0;
  std::string watched;

  /// Sends {"mt":<mt>,"src":"r<n>"<members>} and returns its src; its answer lands in `answers`.
  std::string request(const std::string& mt, const std::string& members = {});
  struct answer {
    std::string request_mt, text; ///< what was asked; the answer frame ("" until it came)
    std::chrono::steady_clock::time_point sent, answered;
  };
  std::map<std::string, answer> answers;                         ///< by src
  std::vector<std::pair<std::string, std::string>> phone_states; ///< every PhoneState (state, reason) in order
  std::vector<std::string> texts;                                ///< every text frame received (after login)

private:
  void on_text(const std::string& text);
  /// Counts an LCD frame and sends the ack that lets the next one come.
  void on_lcd(const std::string& data);
  std::shared_ptr<ws_client> ws_;
  bool ok_ = false;
};

} // namespace mpk::test
