#pragma once
/// A browser that pages through the device list and keeps its page subscribed, as the web app
/// does: QueryDevices {subscribe, offset, limit 50}, then DevicesChanged. Every 20–60 s it does
/// what users do: another page, a reconnect that asks with `resumeFrom` (now and then after
/// minutes away), an Unsubscribe and a new subscription, a domain list and a search. Its delta
/// stream is checked by delta_stream (lost and duplicated changes).

#include "bench/soak/app_client.hpp"
#include "bench/soak/delta_check.hpp"

#include <chrono>

namespace mpk::soak {

struct list_role {
  bool every_change = false; ///< operator without a filter: every registry change reaches it
  bool online_only = false;  ///< `online:true` filter
};

class list_client final : public app_client {
public:
  list_client(const client_env& env, login_as who, std::string name, unsigned seed, list_role role);

private:
  void logged_in() override;
  void text(const simdjson::dom::object& msg, std::string_view mt, std::string_view src) override;
  std::chrono::milliseconds reconnect_delay() override;

  void subscribe(std::uint64_t resume_from);
  void on_page(const simdjson::dom::object& msg, bool resubscribed, std::string_view src);
  void on_delta(const simdjson::dom::object& msg, std::string_view src);
  void next_action();
  /// Adds what the stream found since the last call to the shared counters.
  void publish_findings();

  list_role role_;
  delta_stream stream_;
  delta_findings published_;
  std::string list_src_;           ///< the newest subscribing request
  std::uint64_t asked_resume_ = 0; ///< resumeFrom of that request
  std::uint64_t total_ = 0;
  std::string page_src_; ///< the src of the page the stream counts from
  std::uint64_t page_seq_ = 0;
  std::chrono::steady_clock::time_point page_at_{};
  bool resume_next_ = false, long_away_ = false;
};

} // namespace mpk::soak
