#include "bench/soak/list_client.hpp"

namespace mpk::soak {

list_client::list_client(const client_env& env, login_as who, std::string name, unsigned seed, list_role role)
    : app_client(env, std::move(who), std::move(name), seed), role_(role), stream_(role.every_change) {}

void list_client::logged_in() {
  subscribe(resume_next_ && stream_.started() ? stream_.last_seq() : 0);
  resume_next_ = false;
  later(between(20000, 60000), [this] { next_action(); });
}

std::chrono::milliseconds list_client::reconnect_delay() {
  if (long_away_) {
    long_away_ = false;
    return between(180000, 720000); // a laptop that slept: back after 3–12 minutes
  }
  return between(500, 2000);
}

void list_client::subscribe(std::uint64_t resume_from) {
  auto offset = total_ > 50 ? std::uniform_int_distribution<std::uint64_t>(0, total_ - 50)(rng_) : 0;
  std::string members = "\"subscribe\":true,\"limit\":50,\"offset\":" + std::to_string(offset);
  if (role_.online_only) members += ",\"online\":true";
  if (resume_from) members += ",\"resumeFrom\":" + std::to_string(resume_from);
  asked_resume_ = resume_from;
  list_src_ = request("QueryDevices", members);
}

void list_client::next_action() {
  later(between(20000, 60000), [this] { next_action(); });
  auto pick = std::uniform_int_distribution<int>(0, 99)(rng_);
  if (pick < 40) return subscribe(0); // another page of the same list
  if (pick < 70) {
    // Away and back: the page asks for the changes missed meanwhile.
    resume_next_ = true;
    long_away_ = pick < 33;
    return leave();
  }
  if (pick < 85) {
    request("Unsubscribe");
    later(between(500, 3000), [this] { subscribe(0); });
    return;
  }
  request("GetDomains");
  request("QueryDevices", "\"search\":\"soak\",\"limit\":20");
}

void list_client::text(const simdjson::dom::object& msg, std::string_view mt, std::string_view src) {
  if (mt == "DevicesChanged") return on_delta(msg, src);
  if (mt != "QueryDevicesResult") return;
  bool resubscribed = false;
  if (msg["resubscribed"].get(resubscribed)) resubscribed = {};
  if (src == list_src_ || resubscribed) on_page(msg, resubscribed, src);
}

void list_client::on_page(const simdjson::dom::object& msg, bool resubscribed, std::string_view src) {
  std::string_view code;
  if (!msg["error"].get(code)) {
    // The subscription failed (a peer restarting): ask again as a browser would.
    later(between(2000, 5000), [this] { subscribe(0); });
    return;
  }
  std::uint64_t seq = 0, total = 0;
  bool resumed = false;
  if (msg["seq"].get(seq)) seq = {};
  if (msg["total"].get(total)) total = {};
  if (msg["resumed"].get(resumed)) resumed = {};
  total_ = total;
  page_src_ = src;
  page_seq_ = seq;
  page_at_ = std::chrono::steady_clock::now();
  if (resumed && !resubscribed) {
    stream_.resumed(asked_resume_);
    ++counters_.resumed_pages;
  } else {
    stream_.page(seq);
    ++(resubscribed ? counters_.resubscribed_pages : counters_.pages);
  }
  simdjson::dom::array devices;
  if (!msg["devices"].get(devices))
    for (auto d : devices) {
      std::string_view id, name;
      if (!d["id"].get(id) && !d["name"].get(name)) stream_.device(std::string(id), name, false);
    }
}

void list_client::on_delta(const simdjson::dom::object& msg, std::string_view src) {
  std::uint64_t seq = 0, from = 0;
  if (msg["seq"].get(seq)) seq = {};
  bool merged = !msg["from"].get(from);
  auto last = stream_.last_seq();
  auto found = stream_.delta(merged ? std::optional<std::uint64_t>(from) : std::nullopt, seq);
  if (found) {
    auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - page_at_).count();
    counters_.note(name_ + ": DevicesChanged " + (merged ? std::to_string(from) + "…" : std::string()) +
                   std::to_string(seq) + " after " + std::to_string(last) + ": " + std::to_string(found) +
                   " seq(s) lost or twice (" + (src == page_src_ ? "on the page's src" : "on an older src") +
                   ", page at seq " + std::to_string(page_seq_) + " " + std::to_string(ms) + " ms before)");
  }
  for (const char* key : {"added", "changed"}) {
    simdjson::dom::array arr;
    if (msg[key].get(arr)) continue;
    for (auto d : arr) {
      std::string_view id, name;
      if (!d["id"].get(id) && !d["name"].get(name)) stream_.device(std::string(id), name, merged);
    }
  }
  simdjson::dom::array removed;
  if (!msg["removed"].get(removed))
    for (auto r : removed) {
      std::string_view id;
      if (!r.get(id)) stream_.removed(std::string(id));
    }
  publish_findings();
}

void list_client::publish_findings() {
  const auto& f = stream_.findings();
  auto add = [](std::atomic<std::uint64_t>& to, std::uint64_t now, std::uint64_t& was) {
    if (now > was) to += now - was;
    was = now;
  };
  auto skips = published_.device_skips, regressions = published_.device_regressions;
  add(counters_.delta_messages, f.messages, published_.messages);
  add(counters_.merged_messages, f.merged, published_.merged);
  add(counters_.lost, f.lost, published_.lost);
  add(counters_.duplicated, f.duplicated, published_.duplicated);
  add(counters_.device_skips, f.device_skips, published_.device_skips);
  add(counters_.device_regressions, f.device_regressions, published_.device_regressions);
  if (f.device_skips > skips || f.device_regressions > regressions)
    counters_.note(name_ + ": a device's churn count jumped or went back (skips " + std::to_string(f.device_skips) +
                   ", regressions " + std::to_string(f.device_regressions) + ")");
}

} // namespace mpk::soak
