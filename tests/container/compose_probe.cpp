// mpk-compose-probe: the operator's side of scripts/container-test.sh. With the compose topology
// up (registry, phone-session, gateway, simulator in containers), it logs in through the gateway's
// published port, takes the device list, watches a live phone and presses keys; then it crashes
// each service in turn and shows, with times, that the restart policy brings the container back,
// its health check passes, the client converges to the same list with LCD frames flowing, keys
// work again and every audit line written before is still there. Exit code 0 only if all held.

#include "common/base/config.hpp"
#include "tests/cluster/operator_client.hpp"
#include "tests/container/podman.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace mpk::test {
namespace {

using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

const clock_type::time_point t0 = clock_type::now();

double seconds_since(clock_type::time_point t) { return std::chrono::duration<double>(clock_type::now() - t).count(); }

void say(const std::string& line) {
  std::printf("[%7.1f s] %s\n", seconds_since(t0), line.c_str());
  std::fflush(stdout);
}

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

/// The operator's browser session; a new one (login, list, watch) when the gateway went away.
class operator_session {
public:
  operator_session(net::io_runtime& io, unsigned short port, std::string password)
      : io_(io), port_(port), password_(std::move(password)) {}

  /// Logs in and subscribes the list (and watches `watched` if set); false and `error` if not now
  /// (then the next pump tries again, as a client that reconnects would).
  bool connect() {
    last_attempt_ = clock_type::now();
    drop();
    b_ = std::make_unique<browser>(io_, port_, password_);
    if (!b_->ok()) return fail(b_->error);
    if (!b_->subscribe()) return fail("no QueryDevicesResult");
    if (!watched.empty() && !b_->watch(watched)) return fail("watch " + watched + " failed: " + b_->error);
    ++connections;
    return true;
  }

  /// Reads for up to `d`; reconnects (at most every 500 ms) when the connection is gone.
  void pump(std::chrono::milliseconds d) {
    if (b_ && b_->ok() && !b_->closed()) return b_->pump(d);
    if (clock_type::now() - last_attempt_ >= 500ms) connect();
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(d, 100ms));
  }

  bool up() const { return b_ && b_->ok() && !b_->closed(); }
  browser& current() { return *b_; }
  std::size_t frames() const { return frames_before_ + (b_ ? b_->frames : 0); }
  std::size_t lists() const { return resets_before_ + (b_ ? b_->resets : 0); }

  std::string watched, error;
  int connections = 0;

private:
  bool fail(std::string why) {
    error = std::move(why);
    if (!watched.empty()) say("reconnecting client: " + error);
    drop();
    return false;
  }
  /// Forgets the current connection, keeping what it counted.
  void drop() {
    if (!b_) return;
    frames_before_ += b_->frames;
    resets_before_ += b_->resets;
    b_.reset();
  }
  net::io_runtime& io_;
  unsigned short port_;
  std::string password_;
  std::unique_ptr<browser> b_;
  std::size_t frames_before_ = 0, resets_before_ = 0;
  clock_type::time_point last_attempt_{};
};

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::size_t ok_keys_in(const std::vector<std::string>& audit, const std::string& device) {
  std::size_t n = 0;
  for (const auto& l : audit)
    if (l.find("\"device\":\"" + device + "\"") != std::string::npos &&
        l.find("\"kind\":\"key\"") != std::string::npos && l.find("\"ok\":true") != std::string::npos)
      ++n;
  return n;
}

std::string list_summary(const std::map<std::string, browser::device>& devices) {
  std::size_t online = 0;
  for (const auto& [id, d] : devices) online += d.online;
  return std::to_string(devices.size()) + " devices (" + std::to_string(online) + " online)";
}

class probe {
public:
  probe(config::settings& s)
      : project_(s.get("project")),
        audit_path_(s.get("audit-file")),
        keys_(s.get_list("keys")),
        timeout_(std::chrono::seconds(s.get_int("timeout-s"))),
        services_(s.get_list("crash")),
        session_(io_, static_cast<unsigned short>(s.get_int("gateway-port")), s.get("operator-password")) {}

  int run() {
    if (!first_contact() || !choose_phone()) return 1;
    // A volume kept from an earlier run already has lines: they must stay, and are not ours.
    audit_ = read_lines(audit_path_);
    keys_before_ = ok_keys_in(audit_, session_.watched);
    if (!press_keys(3) || !audit_intact(audit_)) return 1;
    std::vector<std::string> not_recovered;
    for (const auto& svc : services_) {
      if (crash_and_recover(svc)) continue;
      not_recovered.push_back(svc);
      // The next crash still tells something: start over as a user would (reload the app).
      if (!start_over()) return 1;
    }
    auto audit = read_lines(audit_path_);
    auto summary = std::to_string(keys_ok_) + " keys answered ok, " +
                   std::to_string(ok_keys_in(audit, session_.watched) - keys_before_) + " of them in the audit log (" +
                   std::to_string(audit.size()) + " lines), " + std::to_string(session_.connections) + " logins";
    if (!not_recovered.empty()) {
      std::string list;
      for (const auto& svc : not_recovered) list += (list.empty() ? "" : ", ") + svc;
      say("FAIL: the client did not recover by itself from the crash of: " + list + "; " + summary);
      return 1;
    }
    say("PASS: " + std::to_string(services_.size()) + " crashes recovered; " + summary);
    return 0;
  }

private:
  std::string container(const std::string& svc) const { return project_ + "_" + svc + "_1"; }

  bool failed(const std::string& why) {
    say("FAIL: " + why);
    return false;
  }

  /// Logs in (the gateway may still be starting) and waits for a device list that holds still.
  bool first_contact() {
    auto end = clock_type::now() + timeout_;
    while (!session_.connect()) {
      if (clock_type::now() >= end) return failed("no operator login through the gateway: " + session_.error);
      std::this_thread::sleep_for(500ms);
    }
    say("operator logged in through the gateway container");
    std::size_t seen = 0;
    auto still_since = clock_type::now();
    while (clock_type::now() < end) {
      session_.pump(200ms);
      if (!session_.up()) continue;
      auto n = session_.current().devices.size();
      if (n != seen) {
        seen = n;
        still_since = clock_type::now();
      } else if (n > 0 && clock_type::now() - still_since >= 2s) {
        reference_ = session_.current().devices;
        say("device list: " + list_summary(reference_));
        return true;
      }
    }
    return failed("the device list did not settle (" + std::to_string(seen) + " devices)");
  }

  /// Watches the first online device whose LCD frames arrive (some models are not supported).
  bool choose_phone() {
    int tried = 0;
    for (const auto& [id, d] : reference_) {
      if (!d.online || ++tried > 12 || !session_.up()) continue;
      auto& b = session_.current();
      if (!b.watch(id)) {
        say("watch " + id + ": " + b.error);
        continue;
      }
      auto before = b.frames;
      if (b.pump_until([&] { return b.frames > before; }, 10s)) {
        session_.watched = id;
        say("watching " + id + " (hwId " + d.hw_id + "): LCD frames arriving");
        return true;
      }
      say("watch " + id + ": no LCD frame within 10 s");
    }
    return failed("no online phone delivered LCD frames");
  }

  /// A new login with the same phone watched, as after reloading the app; then the audit log
  /// is taken as it is now.
  bool start_over() {
    auto end = clock_type::now() + timeout_;
    while (!session_.connect() || !session_.current().pump_until([&] { return session_.current().frames > 0; }, 10s)) {
      if (clock_type::now() >= end) return failed("no new login with the phone watched: " + session_.error);
      std::this_thread::sleep_for(500ms);
    }
    say("started over: new login, " + session_.watched + " watched again");
    audit_ = read_lines(audit_path_);
    return true;
  }

  /// The first of the candidate keys the watched phone's model has (a key that changes the screen).
  bool choose_key() {
    for (const auto& k : keys_) {
      std::string answer = "(not connected)";
      if (session_.up() && session_.current().key(k, &answer)) {
        key_ = k;
        ++keys_ok_;
        return true;
      }
      if (answer.find("BAD_KEY") == std::string::npos) return failed("Key " + k + ": " + answer);
    }
    return failed("the watched phone has none of the keys " + joined(keys_));
  }

  static std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
    return out;
  }

  bool press_keys(int n) {
    int done = 0;
    if (key_.empty()) {
      if (!choose_key()) return false;
      ++done;
    }
    for (; done < n; ++done) {
      std::string answer = "(not connected)";
      if (!session_.up() || !session_.current().key(key_, &answer)) return failed("Key " + key_ + ": " + answer);
      ++keys_ok_;
    }
    say(std::to_string(n) + " keys " + key_ + " answered ok");
    return true;
  }

  /// The audit log still begins with every line it had before and holds one line per key answered ok.
  bool audit_intact(const std::vector<std::string>& before) {
    auto now = read_lines(audit_path_);
    if (now.size() < before.size())
      return failed("audit log shrank: " + std::to_string(before.size()) + " -> " + std::to_string(now.size()));
    for (std::size_t i = 0; i < before.size(); ++i)
      if (now[i] != before[i]) return failed("audit line " + std::to_string(i + 1) + " changed or lost");
    auto keys = ok_keys_in(now, session_.watched) - keys_before_;
    if (keys != keys_ok_)
      return failed("audit log has " + std::to_string(keys) + " successful keys, the client got " +
                    std::to_string(keys_ok_));
    audit_ = now;
    return true;
  }

  /// The client sees the service again: the list as before (after a registry restart a fresh one,
  /// subscribed again), and a key on the watched phone answered ok with an LCD frame after it.
  /// Tried at most once a second; false while any part is missing.
  bool converged(const std::string& svc, std::size_t lists_mark, clock_type::time_point& next_try) {
    if (clock_type::now() < next_try || !session_.up() || session_.current().devices != reference_) return false;
    if (svc == "registry" && session_.lists() <= lists_mark) return false;
    next_try = clock_type::now() + 1s;
    auto frames = session_.frames();
    if (!session_.current().key(key_)) return false;
    ++keys_ok_;
    return session_.current().pump_until([&] { return session_.frames() > frames; }, 5s);
  }

  bool crash_and_recover(const std::string& svc) {
    auto name = container(svc);
    auto before = inspect_container(name);
    if (!before || !before->running) return failed(name + " is not running");
    auto lists_mark = session_.lists();
    auto logins_before = session_.connections;
    std::string error;
    auto t_kill = clock_type::now();
    int pid = crash_service(name, error);
    if (!pid) return failed(error);
    say(svc + ": SIGKILL to its service program (host pid " + std::to_string(pid) + ", container " + name + ")");

    // The container's side is watched on a thread of its own, so that its times do not wait for
    // the client (a reconnect can block for seconds).
    std::atomic<double> running_after{-1}, healthy_after{-1};
    auto end = t_kill + timeout_;
    std::thread watcher([&] {
      while (clock_type::now() < end && healthy_after < 0) {
        if (running_after < 0) {
          auto st = inspect_container(name);
          if (st && st->running && st->restarts > before->restarts) {
            running_after = seconds_since(t_kill);
            say(svc + ": running again after " + fixed(running_after) + " s (restart policy, restart " +
                std::to_string(st->restarts) + ")");
          }
        } else if (container_healthy(name)) {
          healthy_after = seconds_since(t_kill);
          say(svc + ": healthy after " + fixed(healthy_after) + " s");
        }
        std::this_thread::sleep_for(100ms);
      }
    });
    double converged_after = -1;
    auto next_try = clock_type::now();
    while (clock_type::now() < end && converged_after < 0) {
      session_.pump(100ms);
      if (running_after >= 0 && converged(svc, lists_mark, next_try)) {
        converged_after = seconds_since(t_kill);
        say(svc + ": client converged after " + fixed(converged_after) + " s (list as before: " +
            list_summary(session_.current().devices) + (svc == "registry" ? ", subscribed again" : "") +
            (session_.connections > logins_before ? ", after a new login" : "") +
            "; key answered ok, LCD frame after it)");
      }
    }
    watcher.join();
    if (running_after < 0)
      return failed(svc + ": the restart policy did not start " + name + " again within the timeout");
    if (healthy_after < 0) return failed(svc + ": " + name + " did not become healthy");
    if (converged_after < 0)
      return failed(svc + ": the client did not converge (" +
                    (session_.up() ? list_summary(session_.current().devices) : "not connected: " + session_.error) +
                    ")");
    auto lines_before = audit_.size();
    if (!press_keys(2) || !audit_intact(audit_)) return false;
    say(svc + ": audit log " + std::to_string(lines_before) + " -> " + std::to_string(audit_.size()) +
        " lines, none lost");
    return true;
  }

  net::io_runtime io_{1};
  std::string project_, audit_path_, key_;
  std::vector<std::string> keys_;
  std::chrono::seconds timeout_;
  std::vector<std::string> services_;
  operator_session session_;
  std::map<std::string, browser::device> reference_;
  std::vector<std::string> audit_;
  std::size_t keys_ok_ = 0, keys_before_ = 0;
};

} // namespace
} // namespace mpk::test

int main(int argc, char** argv) {
  mpk::config::settings s("mpk-compose-probe", "the operator's side of scripts/container-test.sh");
  s.add("gateway-port", "443", "the gateway's port published on 127.0.0.1")
    .add("operator-password", "", "the gateway's operator password", true)
    .add("project", "myphonekeys", "compose project: containers are <project>_<service>_1")
    .add("audit-file", "", "the phone-session's audit log, as this host sees it in the audit volume")
    .add("crash", "registry,phone-session,gateway", "services crashed in turn")
    .add("keys", "MENU,HOME,OK", "candidate keys to press on the watched phone: the first its model has")
    .add("timeout-s", "90", "longest wait for any one step");
  if (auto code = mpk::config::start_from_command_line(s, argc, argv)) return *code;
  return mpk::test::probe(s).run();
}
