#include "bench/soak/phone_watcher.hpp"

namespace mpk::soak {

phone_watcher::phone_watcher(const client_env& env, login_as who, std::string name, unsigned seed, std::string home,
                             const std::vector<std::string>* phones)
    : app_client(env, std::move(who), std::move(name), seed), home_(std::move(home)), phones_(phones) {}

void phone_watcher::logged_in() { watch(home_); }

std::chrono::milliseconds phone_watcher::reconnect_delay() {
  watching_ = false;
  return between(1000, 5000);
}

void phone_watcher::watch(const std::string& device) {
  device_ = device;
  watching_ = false;
  last_frame_seq_ = 0;
  auto stint = ++stint_;
  watch_src_ = request("Watch", "\"device\":\"" + device + "\"");
  later(between(30000, 120000), [this, stint] {
    if (stint == stint_) move_on();
  });
}

void phone_watcher::press() {
  if (!watching_) return;
  auto stint = stint_;
  ++counters_.keys;
  request("Key", "\"device\":\"" + device_ + "\",\"key\":\"" + (menu_next_ ? "MENU" : "CANCEL") + "\"");
  menu_next_ = !menu_next_;
  later(between(8000, 15000), [this, stint] {
    if (stint == stint_) press();
  });
}

void phone_watcher::move_on() {
  ++stint_; // the key timer of this watch stops
  if (std::uniform_int_distribution<int>(0, 1)(rng_) == 0) return leave();
  request("Unwatch", "\"device\":\"" + device_ + "\"");
  watching_ = false;
  // Back to its own phone, or a look at another one.
  auto next = std::uniform_int_distribution<int>(0, 2)(rng_) == 0 && !phones_->empty()
                ? (*phones_)[std::uniform_int_distribution<std::size_t>(0, phones_->size() - 1)(rng_)]
                : home_;
  later(between(1000, 3000), [this, next] { watch(next); });
}

void phone_watcher::text(const simdjson::dom::object& msg, std::string_view mt, std::string_view src) {
  std::string_view code;
  if (mt == "KeyResult" && !msg["error"].get(code)) ++counters_.key_errors;
  if (src != watch_src_) return;
  if (mt == "WatchResult") {
    if (!msg["error"].get(code)) {
      ++counters_.watch_errors;
      // The phone or a peer is not there right now: try again as a user would.
      auto stint = ++stint_;
      later(between(2000, 5000), [this, stint] {
        if (stint == stint_) watch(device_);
      });
      return;
    }
    ++counters_.watches;
    watching_ = true;
    auto stint = stint_;
    later(between(2000, 8000), [this, stint] {
      if (stint == stint_) press();
    });
    return;
  }
  if (mt == "PhoneState") {
    std::string_view state, reason;
    if (msg["state"].get(state)) state = {};
    if (msg["reason"].get(reason)) reason = {};
    count_state(state, reason);
  }
}

void phone_watcher::count_state(std::string_view state, std::string_view reason) {
  if (state == "online")
    ++counters_.states_online;
  else if (state == "stale")
    ++counters_.states_stale;
  else if (state == "connecting")
    ++counters_.states_connecting;
  else if (state == "offline" && soak_seconds() - counters_.devices_restart_at < 30)
    ++counters_.states_offline_devices_restart;
  else if (state == "offline" || state == "error") {
    ++(state == "offline" ? counters_.states_offline : counters_.states_error);
    counters_.note(name_ + ": " + device_ + " " + std::string(state) + " (" + std::string(reason) + ")");
  }
}

void phone_watcher::binary(const std::string& frame) {
  // 'L', codec, seq (u32 BE), …, id length at 18, then the id (docs/app-protocol.md §4).
  if (frame.size() < 19 || frame[0] != 'L') return;
  auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(frame[i])); };
  std::uint32_t seq = (byte(2) << 24) | (byte(3) << 16) | (byte(4) << 8) | byte(5);
  auto id_len = byte(18);
  if (frame.size() < 19 + id_len) return;
  std::string device = frame.substr(19, id_len);
  ++counters_.frames;
  if (device == device_) {
    if (last_frame_seq_ && seq <= last_frame_seq_) ++counters_.frame_seq_errors;
    last_frame_seq_ = seq;
  }
  send("{\"mt\":\"FrameAck\",\"device\":\"" + device + "\",\"seq\":" + std::to_string(seq) + "}");
}

} // namespace mpk::soak
