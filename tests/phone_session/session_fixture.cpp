#include "tests/phone_session/session_fixture.hpp"

#include "common/actors/errors.hpp"
#include "tests/phone_session/png_check.hpp"
#include "tests/phone_session/test_catalog.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

namespace mpk::test {

bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

// -- probe log ----------------------------------------------------------------------------

std::size_t probe_log::frame_count() const {
  std::lock_guard<std::mutex> lock(mu);
  return frames.size();
}

std::optional<lcd_frame> probe_log::last_frame() const {
  std::lock_guard<std::mutex> lock(mu);
  if (frames.empty()) return std::nullopt;
  return frames.back();
}

std::vector<lcd_frame> probe_log::frames_copy() const {
  std::lock_guard<std::mutex> lock(mu);
  return frames;
}

std::vector<phone_event> probe_log::events_copy() const {
  std::lock_guard<std::mutex> lock(mu);
  return events;
}

caf::actor_addr probe_log::last_sender() const {
  std::lock_guard<std::mutex> lock(mu);
  return frame_senders.empty() ? caf::actor_addr{} : frame_senders.back();
}

int probe_log::find_state(const std::string& state, std::size_t from) const {
  std::lock_guard<std::mutex> lock(mu);
  for (std::size_t i = from; i < events.size(); ++i)
    if (events[i].mt == "PhoneState" && json_member("{" + events[i].json + "}", "state") == state)
      return static_cast<int>(i);
  return -1;
}

bool probe_log::saw_state(const std::string& state, const std::string& reason_part) const {
  std::lock_guard<std::mutex> lock(mu);
  for (auto& e : events)
    if (e.mt == "PhoneState" && json_member("{" + e.json + "}", "state") == state &&
        json_member("{" + e.json + "}", "reason").find(reason_part) != std::string::npos)
      return true;
  return false;
}

std::optional<std::string> probe_log::last_registrations() const {
  auto regs = last_event("Registrations");
  return regs.empty() ? std::nullopt : std::optional<std::string>(regs);
}

std::string probe_log::last_event(const std::string& mt) const {
  std::lock_guard<std::mutex> lock(mu);
  for (auto it = events.rbegin(); it != events.rend(); ++it)
    if (it->mt == mt) return it->json;
  return "";
}

bool canvas::catch_up(const probe_log& log) {
  auto frames = log.frames_copy();
  for (; applied < frames.size(); ++applied)
    if (!paint_frame(img, frames[applied].bytes)) return false;
  return true;
}

// -- actors of the test -------------------------------------------------------------------

namespace {

/// Records everything; acks each frame to the manager while auto_ack is on.
phone_watcher_actor::behavior_type probe(phone_watcher_actor::pointer self, std::shared_ptr<probe_log> log,
                                         phone_manager_actor manager) {
  return {
    [=](lcd_frame& f) {
      {
        std::lock_guard<std::mutex> lock(log->mu);
        log->frame_senders.push_back(caf::actor_cast<caf::actor_addr>(self->current_sender()));
        log->frames.push_back(f);
      }
      if (log->auto_ack)
        self->send(manager, atom::frame_ack_v, f.device, f.seq, caf::actor_cast<phone_watcher_actor>(self));
    },
    [=](phone_event& e) {
      std::lock_guard<std::mutex> lock(log->mu);
      log->events.push_back(std::move(e));
    },
    [=](atom::retry, const std::string&) {}, // only a phone router sends it; none runs here
  };
}

struct registry_state {
  std::map<std::string, phone_target> targets;
  std::map<std::string, std::set<caf::actor>> watchers;
  static inline const char* name = "registry_stand_in";
};

/// The registry's phone interface, nothing more: target, watch_tgt / unwatch_tgt, and a
/// phone_target message from the test that replaces a device and is pushed to its watchers.
/// (`tag` only names it in logs; an argument-less spawn trips UBSan inside CAF 0.17's init_fun_factory.)
registry_stand_in_actor::behavior_type registry_stand_in(registry_stand_in_actor::stateful_pointer<registry_state> self,
                                                         std::string tag, std::chrono::milliseconds answer_delay) {
  (void)tag;
  return {
    [=](atom::target, const std::string& device, const std::vector<std::string>& tenants) -> caf::result<phone_target> {
      // A slow registry, for tests about what reaches the manager while it waits: this actor's
      // thread is held (the manager's is not), nothing else is asked of it meanwhile.
      if (answer_delay.count() > 0) std::this_thread::sleep_for(answer_delay);
      auto it = self->state.targets.find(device);
      if (it == self->state.targets.end()) return make_mpk_error(errc::unknown_device, "unknown device " + device);
      if (!tenants.empty() && std::find(tenants.begin(), tenants.end(), it->second.tenant) == tenants.end())
        return make_mpk_error(errc::unknown_device, "device " + device + " is outside your scope");
      return it->second;
    },
    [=](atom::watch_tgt, const std::string& device) -> caf::result<phone_target> {
      auto it = self->state.targets.find(device);
      if (it == self->state.targets.end()) return make_mpk_error(errc::unknown_device, "unknown device " + device);
      self->state.watchers[device].insert(caf::actor_cast<caf::actor>(self->current_sender()));
      return it->second;
    },
    [=](atom::unwatch_tgt, const std::string& device) {
      self->state.watchers[device].erase(caf::actor_cast<caf::actor>(self->current_sender()));
    },
    [=](phone_target& t) {
      self->state.targets[t.device] = t;
      for (auto& w : self->state.watchers[t.device]) caf::unsafe_send_as(self, w, t); // watchers are dynamically typed
    },
  };
}

std::string temp_audit_path() {
  std::random_device rd;
  return "/tmp/mpk_phone_session_audit_" + std::to_string(rd()) + ".jsonl";
}

} // namespace

// -- fixture ------------------------------------------------------------------------------------

session_fixture::session_fixture(fixture_options o) : opts(o) {
  sys = std::make_unique<caf::actor_system>(cfg);
  audit_path = temp_audit_path();
  registry = sys->spawn(registry_stand_in, std::string("registry stand-in"), o.registry_answer_delay);
  phone_options po;
  po.io = &rt;
  po.registry = registry;
  po.catalog = &catalog();
  po.min_interval = o.min_interval;
  po.idle_interval = o.idle_interval;
  po.request_timeout = o.request_timeout;
  po.registrations_interval = o.registrations_interval;
  po.function_keys_interval = o.function_keys_interval;
  po.grace = o.grace;
  po.ack_timeout = o.ack_timeout;
  po.audit_path = audit_path;
  std::string err;
  auto book = o.wire_file.empty() ? std::optional<models::wire_book>(models::wire_book::built_in(catalog()))
                                  : models::wire_book::load(catalog(), o.wire_file, err);
  if (!book) throw std::runtime_error(err);
  wire =
    std::make_shared<session::wire_memory>(std::make_shared<const models::wire_book>(std::move(*book)), o.wire_file);
  po.wire = wire;
  manager = spawn_phone_manager(*sys, po);
}

session_fixture::~session_fixture() {
  caf::anon_send(manager, atom::drain_v);
  caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
  for (auto& p : probes_) caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
  manager = nullptr;
  registry = nullptr;
  probes_.clear();
  sys->await_all_actors_done();
  rt.stop(); // pending passthrough callbacks let go of their actor handles while the system lives
  sys.reset();
  std::remove(audit_path.c_str());
}

void session_fixture::put_target(const phone_target& t) {
  caf::scoped_actor s{*sys};
  s->send(registry, t);
}

session_fixture::watcher session_fixture::make_watcher(bool auto_ack) {
  auto log = std::make_shared<probe_log>();
  log->auto_ack = auto_ack;
  auto h = sys->spawn(probe, log, manager);
  probes_.push_back(h);
  return {h, log};
}

std::pair<std::optional<phone_target>, std::string> session_fixture::watch(const std::string& device, const watcher& w,
                                                                           std::vector<std::string> tenants) {
  caf::scoped_actor s{*sys};
  std::pair<std::optional<phone_target>, std::string> out;
  s->request(manager, 10s, atom::watch_v, device, std::move(tenants), w.handle)
    .receive([&](phone_target& t) { out.first = std::move(t); },
             [&](caf::error& e) {
               auto& ctx = e.context();
               out.second = ctx.match_elements<std::string>() ? ctx.get_as<std::string>(0) : caf::to_string(e);
             });
  return out;
}

void session_fixture::unwatch(const std::string& device, const watcher& w) {
  caf::anon_send(manager, atom::unwatch_v, device, w.handle);
}

void session_fixture::ack(const std::string& device, std::uint32_t seq, const watcher& w) {
  caf::anon_send(manager, atom::frame_ack_v, device, seq, w.handle);
}

command_result session_fixture::command(const phone_command& c) {
  caf::scoped_actor s{*sys};
  command_result out;
  s->request(manager, 20s, atom::command_v, c)
    .receive([&](command_result& r) { out = std::move(r); },
             [&](caf::error& e) {
               out.error = "CAF_ERROR";
               out.text = caf::to_string(e);
             });
  return out;
}

relayed_http session_fixture::admin_http(const std::string& device, const std::string& method,
                                         const std::string& path) {
  caf::scoped_actor s{*sys};
  relayed_http out;
  s->request(manager, 20s, atom::admin_http_v, device, method, path, std::string{})
    .receive([&](relayed_http& r) { out = std::move(r); }, [&](caf::error& e) { out.error = caf::to_string(e); });
  return out;
}

std::string session_fixture::audit(const std::string& device, std::uint32_t limit) {
  caf::scoped_actor s{*sys};
  std::string out;
  s->request(manager, 10s, atom::audit_v, device, limit)
    .receive([&](std::string& r) { out = std::move(r); }, [&](caf::error& e) { out = "error: " + caf::to_string(e); });
  return out;
}

std::string session_fixture::status() {
  caf::scoped_actor s{*sys};
  std::string out;
  s->request(manager, 10s, atom::status_v)
    .receive([&](std::string& r) { out = std::move(r); }, [&](caf::error& e) { out = "error: " + caf::to_string(e); });
  return out;
}

std::string session_fixture::wire_check(const std::string& device, std::vector<std::string> acts) {
  caf::scoped_actor s{*sys};
  std::string out;
  s->request(manager, 60s, atom::wire_check_v, device, std::move(acts),
             actor_identity{"tenant1", "pbx1", "alice", "Alice"})
    .receive([&](std::string& r) { out = std::move(r); }, [&](caf::error& e) { out = "error: " + caf::to_string(e); });
  return out;
}

std::string session_fixture::reload_wire() {
  caf::scoped_actor s{*sys};
  std::string out;
  s->request(manager, 10s, atom::wire_reload_v)
    .receive([&](std::string& r) { out = std::move(r); }, [&](caf::error& e) { out = "error: " + caf::to_string(e); });
  return out;
}

std::string session_fixture::session_status(const std::string& device) {
  auto all = status();
  simdjson::dom::parser p;
  simdjson::dom::array arr;
  if (p.parse(all).get(arr) != simdjson::SUCCESS) return "";
  for (auto el : arr) {
    std::string_view d;
    if (el["device"].get(d) == simdjson::SUCCESS && d == device) return simdjson::minify(el);
  }
  return "";
}

phone_command session_fixture::make_command(const std::string& device, command_kind kind, const std::string& name,
                                            const std::string& arg) {
  phone_command c;
  c.device = device;
  c.kind = kind;
  c.name = name;
  c.arg = arg;
  c.who = actor_identity{"tenant1", "pbx1.example.com", "alice", "Alice Admin"};
  return c;
}

std::string json_member(const std::string& object, const std::string& name) {
  simdjson::dom::parser p;
  simdjson::dom::object obj;
  if (p.parse(object).get(obj) != simdjson::SUCCESS) return "";
  simdjson::dom::element el;
  if (obj[name].get(el) != simdjson::SUCCESS) return "";
  std::string_view s;
  if (el.get(s) == simdjson::SUCCESS) return std::string(s);
  return simdjson::minify(el);
}

} // namespace mpk::test
