// The candidate search of the phone session against simulated phones that speak different wire
// dialects (sim/data/wire-dialects.json): the forms are found without configuration where a
// candidate covers them, a wire file fixes a dialect no candidate covers, a bad wire file leaves
// the last good data in force, and what was found survives a session restart.
#include "tests/phone_session/fake_passthrough.hpp"
#include "tests/phone_session/session_fixture.hpp"
#include "tests/phone_session/test_catalog.hpp"

#include <catch2/catch.hpp>
#include <caf/send.hpp>

#include <filesystem>
#include <future>
#include <fstream>
#include <random>

using namespace mpk;
using namespace mpk::test;

namespace {

struct dialect_phone {
  std::string product, hw, device;
};

/// Phones of three dialects: IP222 speaks the first candidates, IP112 and IP232 later ones.
const std::vector<dialect_phone> covered = {
  {"IP222", "009033000a01", "t/devices:a1"},
  {"IP112", "009033000a02", "t/devices:a2"},
  {"IP232", "009033000a03", "t/devices:a3"},
};

std::uint64_t not_found(fake_passthrough& pt, const std::string& hw) {
  return pt.with_phone(hw, [](sim_phone::phone_web& w) { return w.counters().not_found; });
}

std::uint64_t presses(fake_passthrough& pt, const std::string& hw, const std::string& code) {
  return pt.with_phone(hw, [&](sim_phone::phone_web& w) {
    auto it = w.counters().key_presses.find(code);
    return it == w.counters().key_presses.end() ? std::uint64_t{0} : it->second;
  });
}

struct temp_file {
  std::filesystem::path path =
    std::filesystem::temp_directory_path() / ("mpk-wire-" + std::to_string(std::random_device{}()) + ".json");
  void write(const std::string& text) const { std::ofstream(path) << text; }
  ~temp_file() { std::filesystem::remove(path); }
};

/// A node with one watched phone of `product` that speaks its simulator dialect.
struct watched_phone {
  session_fixture fx;
  fake_passthrough pt{fx.rt};
  std::string hw, device;
  session_fixture::watcher w;
  watched_phone(fixture_options o, const std::string& product, std::string hw_id, std::string dev)
      : fx(o), hw(std::move(hw_id)), device(std::move(dev)) {
    pt.add_phone(hw, product, "101", dialect_of(product));
    fx.put_target(pt.target(device, hw));
    w = fx.make_watcher();
    REQUIRE(fx.watch(device, w).first);
  }
};

fixture_options with_wire_file(const temp_file& f) {
  fixture_options o;
  o.wire_file = f.path.string();
  return o;
}

/// What fixes IP241's dialect (sim/data/wire-dialects.json), which no built-in candidate covers.
const char* ip241_fix = R"({
  "about": "IP241 13r2, forms read from the phone's Administration log",
  "models": {"IP241": {
    "lcd": {"form": "/DISPLAY0/screen.bmp", "source": "admin log"},
    "key": {"form": "/PHONE/APP/mod_cmd.xml?cmd=xml-keypress&k={code}&t={holdMs}",
            "keyCodes": {"SPEAKER": "handsfree", "MENU": "menu-key", "HOOK": "offhook"}},
    "registrations": {"form": "/PHONE/USER-UI/mod_cmd.xml?cmd=xml-registrations",
                      "format": {"root": "registrations", "item": "user", "id": "slot", "idBase": 1,
                                 "state": "status", "up": "registered", "enable": "active", "off": "false"}}}}})";

} // namespace

TEST_CASE("the session finds the working form of each entry in three dialects, without configuration",
          "[phone_session][wire]") {
  session_fixture fx;
  fake_passthrough pt{fx.rt};
  std::vector<session_fixture::watcher> ws;
  for (const auto& p : covered) {
    pt.add_phone(p.hw, p.product, "101", dialect_of(p.product));
    fx.put_target(pt.target(p.device, p.hw));
    ws.push_back(fx.make_watcher());
    REQUIRE(fx.watch(p.device, ws.back()).first);
  }
  for (std::size_t i = 0; i < covered.size(); ++i) {
    INFO(covered[i].product);
    CHECK(eventually([&] { return ws[i].log->frame_count() >= 1; }));
    CHECK(eventually([&] { return ws[i].log->saw_state("online"); }));
    CHECK(eventually([&] { return ws[i].log->last_registrations().has_value(); }));
    CHECK(ws[i].log->last_registrations()->find("\"state\":\"registered\"") != std::string::npos);
    // The function keys' labels come from the phone, in its dialect too.
    CHECK(eventually([&] {
      return ws[i].log->last_event("KeyStates").find(R"({"id":"F1","label":"Partner","from":"phone","led":"off"})") !=
             std::string::npos;
    }));
    auto r = fx.command(session_fixture::make_command(covered[i].device, command_kind::key, "MENU"));
    INFO(r.text);
    CHECK(r.ok);
  }
  // What each phone was found to speak, by candidate index of the built-in data.
  const auto version = pt.target(covered[0].device, covered[0].hw).version;
  CHECK(fx.wire->choices("IP222", version) ==
        session::wire_choices{{"functionKeys", 0}, {"key", 0}, {"lcd", 0}, {"registrations", 0}});
  CHECK(fx.wire->choices("IP112", version) ==
        session::wire_choices{{"functionKeys", 1}, {"key", 1}, {"lcd", 1}, {"registrations", 1}});
  CHECK(fx.wire->choices("IP232", version) ==
        session::wire_choices{{"functionKeys", 2}, {"key", 3}, {"lcd", 2}, {"registrations", 2}});
  // The key presses arrived once each, in the phone's own form.
  CHECK(presses(pt, covered[0].hw, "menu") == 1);
  CHECK(presses(pt, covered[1].hw, "menu") == 1);
  CHECK(presses(pt, covered[2].hw, "menu") == 1);

  // Text and touch of the touch model are searched the same way.
  auto text = fx.command(session_fixture::make_command(covered[2].device, command_kind::text, "hello"));
  CHECK(text.ok);
  phone_command touch = session_fixture::make_command(covered[2].device, command_kind::touch, "");
  touch.x = 100;
  touch.y = 100;
  CHECK(fx.command(touch).ok);
  CHECK(fx.wire->choices("IP232", version).at("text") == 1);
  CHECK(fx.wire->choices("IP232", version).at("touch") == 1);
  CHECK(pt.with_phone(covered[2].hw, [](sim_phone::phone_web& w) { return w.counters().texts; }) ==
        std::vector<std::string>{"hello"});
}

TEST_CASE("commands behind a key search wait for it and then use the form it found", "[phone_session][wire]") {
  session_fixture fx;
  fake_passthrough pt{fx.rt};
  const auto& p = covered[2];
  pt.add_phone(p.hw, p.product, "101", dialect_of(p.product));
  fx.put_target(pt.target(p.device, p.hw));
  // Three presses at once, before any key form is known: one search, then the others in its form.
  std::vector<std::future<command_result>> results;
  for (const char* k : {"D1", "D2", "D3"})
    results.push_back(std::async(std::launch::async, [&fx, &p, k] {
      return fx.command(session_fixture::make_command(p.device, command_kind::key, k));
    }));
  for (auto& r : results) {
    auto res = r.get();
    INFO(res.text);
    CHECK(res.ok);
  }
  for (const char* code : {"1", "2", "3"}) CHECK(presses(pt, p.hw, code) == 1);
  // Candidates 0-2 were refused once (by one search), not once per press. (Nobody watches: no
  // LCD or registrations polls.)
  CHECK(not_found(pt, p.hw) == 3);
}

TEST_CASE("a dialect no candidate covers fails with a reason, a wire file fixes it, also on reload",
          "[phone_session][wire]") {
  temp_file file;
  file.write("{}"); // nothing overridden yet
  watched_phone n(with_wire_file(file), "IP241", "009033000a04", "t/devices:a4");
  auto& fx = n.fx;
  auto& pt = n.pt;
  auto& w = n.w;
  const auto hw = n.hw, device = n.device;

  REQUIRE(eventually([&] { return w.log->saw_state("error", "no lcd form answered"); }));
  CHECK(w.log->saw_state("error", "#0 /lcd_dump.bmp: answered 404"));
  CHECK(w.log->saw_state("error", "#4 /CMD0/lcd_dump.bmp: answered 404"));
  CHECK(w.log->frame_count() == 0);
  auto key = fx.command(session_fixture::make_command(device, command_kind::key, "SPEAKER"));
  CHECK_FALSE(key.ok);
  CHECK(key.error == "PHONE_ERROR");
  CHECK(key.text.rfind("no key form answered: #0 ", 0) == 0);
  // The raw `/!mod cmd` candidate reached the phone's interpreter, which did not know it.
  CHECK(key.text.find("#3 /!mod cmd PHONE/APP key {code}: answered 200 with an error: error: unknown command") !=
        std::string::npos);
  CHECK(presses(pt, hw, "handsfree") == 0);

  // The operator writes the forms into the wire file and reloads: the session starts over with them.
  file.write(ip241_fix);
  auto reloaded = fx.reload_wire();
  INFO(reloaded);
  CHECK(json_member(reloaded.substr(1, reloaded.size() - 2), "ok") == "true");
  CHECK(reloaded.find("\"changed\":[\"IP241\"]") != std::string::npos);
  REQUIRE(eventually([&] { return w.log->frame_count() >= 1 && w.log->saw_state("online"); }));
  REQUIRE(eventually([&] { return w.log->last_registrations().has_value(); }));
  key = fx.command(session_fixture::make_command(device, command_kind::key, "SPEAKER"));
  INFO(key.text);
  CHECK(key.ok);
  CHECK(presses(pt, hw, "handsfree") == 1);

  // The same file from the start: no error at all.
  watched_phone again(with_wire_file(file), "IP241", hw, device);
  REQUIRE(eventually([&] { return again.w.log->frame_count() >= 1; }));
  CHECK_FALSE(again.w.log->saw_state("error"));
  CHECK(not_found(again.pt, hw) == 0);
}

TEST_CASE("a bad wire file is refused on reload with the entry named, the last good data stays",
          "[phone_session][wire]") {
  temp_file file;
  file.write(ip241_fix);
  watched_phone n(with_wire_file(file), "IP241", "009033000a05", "t/devices:a5");
  auto& fx = n.fx;
  auto& pt = n.pt;
  auto& w = n.w;
  const auto hw = n.hw, device = n.device;
  REQUIRE(eventually([&] { return w.log->frame_count() >= 1; }));

  const std::pair<std::string, std::string> bad[] = {
    {"{\"models\": {", "invalid JSON"},
    {R"({"models": {"IP241": {"key": "/k?c={code}&x={bogus}"}}})", "models.IP241.key: unknown placeholder {bogus}"},
    {R"({"models": {"IP241": {"keyCodes": {"D1": "2"}}}})",
     "models.IP241 (for IP241): wire code \\\"2\\\" used by two keys (wire.keyCodes)"},
    {R"({"families": {"IP9x9": {"lcd": "/x.bmp"}}})", "families.IP9x9: unknown family"},
  };
  for (const auto& [text, expected] : bad) {
    INFO(text);
    file.write(text);
    auto r = fx.reload_wire();
    INFO(r);
    CHECK(r.find("\"ok\":false") != std::string::npos);
    CHECK(r.find("wire file " + file.path.string() + ": ") != std::string::npos);
    CHECK(r.find(expected) != std::string::npos);
    CHECK(fx.wire->current().book->origin() == file.path.string());
    CHECK(fx.wire->current().book->find("IP241")->form("lcd") == "/DISPLAY0/screen.bmp");
  }
  // The sessions kept the good forms all along.
  auto key = fx.command(session_fixture::make_command(device, command_kind::key, "MENU"));
  CHECK(key.ok);
  CHECK(presses(pt, hw, "menu-key") == 1);
  CHECK(not_found(pt, hw) == 0);
}

TEST_CASE("the remembered choice survives a session restart on the same node", "[phone_session][wire]") {
  fixture_options o;
  o.grace = std::chrono::milliseconds(200);
  const auto& p = covered[2]; // IP232: its forms are the 3rd, 4th and 3rd candidates
  watched_phone n(o, p.product, p.hw, p.device);
  auto& fx = n.fx;
  auto& pt = n.pt;
  auto& w = n.w;
  const auto hw = n.hw, device = n.device;
  REQUIRE(eventually([&] { return w.log->frame_count() >= 1 && w.log->last_registrations().has_value(); }));
  REQUIRE(eventually([&] { return !w.log->last_event("KeyStates").empty(); }));
  REQUIRE(fx.command(session_fixture::make_command(device, command_kind::key, "MENU")).ok);
  auto refused = not_found(pt, hw);
  CHECK(refused == 2 + 2 + 2 + 3); // lcd #0 #1, registrations #0 #1, functionKeys #0 #1, key #0 #1 #2

  // The session ends (no watcher past the grace) and a new one starts: no candidate is tried again.
  fx.unwatch(device, w);
  REQUIRE(eventually([&] { return fx.session_status(device).empty(); }));
  auto w2 = fx.make_watcher();
  REQUIRE(fx.watch(device, w2).first);
  REQUIRE(eventually([&] { return w2.log->frame_count() >= 1 && w2.log->last_registrations().has_value(); }));
  REQUIRE(fx.command(session_fixture::make_command(device, command_kind::key, "CANCEL")).ok);
  CHECK(not_found(pt, hw) == refused);

  // A session that crashes is respawned by the manager and also knows the forms.
  auto session = caf::actor_cast<caf::actor>(w2.log->last_sender());
  REQUIRE(session);
  auto frames = w2.log->frame_count();
  caf::anon_send_exit(session, caf::exit_reason::kill);
  REQUIRE(eventually([&] { return w2.log->frame_count() > frames; }));
  REQUIRE(fx.command(session_fixture::make_command(device, command_kind::key, "MENU")).ok);
  CHECK(not_found(pt, hw) == refused);
}
