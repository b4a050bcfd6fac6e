#pragma once
/// A browser that watches one phone as the web app does: Watch, every LCD frame drawn and
/// acknowledged (FrameAck), a key pressed every 8–15 s (MENU and CANCEL in turn, keys every model
/// has), and after 30–120 s it leaves — an Unwatch and another phone on the same connection, or
/// the connection closed and opened again a few seconds later. Counts the phone states it is
/// told and the frames whose seq did not advance.

#include "bench/soak/app_client.hpp"

#include <vector>

namespace mpk::soak {

class phone_watcher final : public app_client {
public:
  /// `home`: the phone it watches first and comes back to; `phones`: all the watched phones.
  phone_watcher(const client_env& env, login_as who, std::string name, unsigned seed, std::string home,
                const std::vector<std::string>* phones);

private:
  void logged_in() override;
  void text(const simdjson::dom::object& msg, std::string_view mt, std::string_view src) override;
  void binary(const std::string& frame) override;
  std::chrono::milliseconds reconnect_delay() override;

  void watch(const std::string& device);
  void press();
  void move_on();
  void count_state(std::string_view state, std::string_view reason);

  std::string home_;
  const std::vector<std::string>* phones_;
  std::string device_, watch_src_;
  std::uint32_t last_frame_seq_ = 0;
  bool watching_ = false, menu_next_ = true;
  std::uint64_t stint_ = 0; ///< tags the timers of one watch
};

} // namespace mpk::soak
