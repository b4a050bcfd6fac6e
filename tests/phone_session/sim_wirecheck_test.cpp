// mpk-wirecheck as a process against the simulator: through a Devices passthrough URL (the
// tunnel to a live sysclient phone) and directly at the phone with HTTP Digest. The JSON report
// is checked field by field.
#include "common/base/config.hpp"
#include "sim/app/sim_runtime.hpp"
#include "tests/phone_session/devices_login.hpp"
#include "tests/phone_session/session_fixture.hpp"
#include "tests/phone_session/test_catalog.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sys/wait.h>

using namespace mpk;
using namespace mpk::test;

namespace {

struct tool_run {
  int exit_code = -1;
  std::string out;
};

/// Runs mpk-wirecheck with `args`; stdout is the report, stderr goes to the test's log.
tool_run wirecheck(const std::vector<std::string>& args) {
  std::string cmd = MPK_WIRECHECK_EXE;
  for (const auto& a : args) cmd += " '" + a + "'";
  tool_run r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// The simulator with one live phone of every model, speaking the shipped dialects.
struct dialect_sim {
  sim::sim_runtime sim;
  net::io_runtime rt{1};
  std::shared_ptr<devices_login> login;

  dialect_sim() {
    config::settings s("test", "");
    sim::declare_sim_options(s);
    std::string msg;
    for (auto [k, v] : std::map<std::string, std::string>{{"port", "0"},
                                                          {"product-url", ""},
                                                          {"models-dir", MPK_MODELS_DIR},
                                                          {"wire-dialects", MPK_SIM_DIALECTS},
                                                          {"phone-password", "desk-pw"},
                                                          {"devices", "40"},
                                                          {"domains", "2"},
                                                          {"live-phones", "14"},
                                                          {"tenants", "1"}})
      REQUIRE(s.set(k, v, msg));
    REQUIRE(sim.start(s, msg));
    for (const auto& p : sim.pop().live)
      REQUIRE(eventually([&] { return sim.phones().find(p.hw_id)->connected(); }, 20s));
    auto inst = sim.devices().instances().at(0);
    std::string err;
    REQUIRE(eventually(
      [&] {
        login = devices_login::open(rt, sim.ws_base() + inst->path(), inst->domain(), inst->password(), err);
        return login != nullptr;
      },
      20s));
  }
  ~dialect_sim() {
    login->close();
    sim.stop();
  }

  const sim::live_phone_spec& phone(const std::string& product) {
    for (const auto& p : sim.pop().live)
      if (p.product == product) return p;
    FAIL("no live " << product);
    throw std::logic_error("unreachable");
  }
  std::string passthrough(const sim::live_phone_spec& p) {
    return sim.devices().instances().at(p.instance)->passthrough_prefix() + p.hw_id + "/" + login->key() + "/";
  }
  std::string password(const sim::live_phone_spec& p) {
    auto deployed = sim.phones().find(p.hw_id)->admin_password();
    return deployed.empty() ? "desk-pw" : deployed;
  }
};

simdjson::dom::element entry(simdjson::dom::element r, std::string_view name) {
  for (auto e : r["entries"].get_array())
    if (std::string_view(e["entry"]) == name) return e;
  FAIL("no entry " << name);
  return {};
}

std::string str(simdjson::dom::element e) { return std::string(std::string_view(e)); }

} // namespace

TEST_CASE("mpk-wirecheck through a Devices passthrough finds the model itself and reports each candidate",
          "[wirecheck][sim]") {
  dialect_sim s;
  const auto& p = s.phone("IP232");
  auto saved =
    std::filesystem::temp_directory_path() / ("mpk-saved-" + std::to_string(std::random_device{}()) + ".json");
  auto run = wirecheck({"--passthrough=" + s.passthrough(p), "--models-dir=" MPK_MODELS_DIR, "--acts=key:3:MENU",
                        "--save=" + saved.string()});
  INFO(run.out);
  REQUIRE(run.exit_code == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element r;
  REQUIRE(parser.parse(run.out).get(r) == simdjson::SUCCESS);
  CHECK(str(r["product"]) == "IP232"); // from its info answer: no --product given
  CHECK(str(r["version"]) == p.version);
  CHECK(str(r["via"]) == "passthrough");
  CHECK(str(r["wireOrigin"]) == "built-in");
  // The report never carries the passthrough key.
  CHECK(run.out.find(s.login->key()) == std::string::npos);

  auto lcd = entry(r, "lcd");
  CHECK(int64_t(lcd["working"].at(0)) == 2);
  CHECK(lcd["working"].get_array().size() == 1);
  auto c0 = lcd["candidates"].at(0);
  CHECK(str(c0["request"]) == "/lcd_dump.bmp");
  CHECK(int64_t(c0["status"]) == 404);
  CHECK(str(c0["result"]) == "not-this-form");
  auto c2 = lcd["candidates"].at(2);
  CHECK(int64_t(c2["status"]) == 200);
  CHECK(str(c2["contentType"]) == "image/bmp");
  CHECK(uint64_t(c2["bytes"]) == 14 + 40 + 12 + 480 * 272 * 2);
  CHECK(double(c2["ms"]) > 0);
  CHECK(int64_t(c2["parsed"]["width"]) == 480);
  CHECK(int64_t(c2["parsed"]["height"]) == 272);
  CHECK(int64_t(c2["parsed"]["depth"]) == 16);

  auto regs = entry(r, "registrations");
  CHECK(int64_t(regs["working"].at(0)) == 2);
  auto rc = regs["candidates"].at(2);
  CHECK(uint64_t(rc["parsed"]["count"]) == p.registrations.size());
  CHECK(str(rc["why"]) == std::to_string(p.registrations.size()) + " registrations");

  auto info = entry(r, "info");
  CHECK(int64_t(info["working"].at(0)) == 1);
  CHECK(str(info["candidates"].at(1)["parsed"]["hwId"]) == p.hw_id);
  CHECK(str(info["candidates"].at(0)["result"]) == "not-this-form");

  auto key = entry(r, "key");
  auto k3 = key["candidates"].at(3);
  CHECK(str(k3["result"]) == "works");
  CHECK(bool(k3["visible"]));
  CHECK(int64_t(k3["lcdBefore"]["status"]) == 200);
  CHECK(uint64_t(k3["lcdAfter"]["bytes"]) == uint64_t(c2["bytes"]));
  CHECK(str(key["candidates"].at(0)["result"]) == "not-run");

  // --save wrote the working forms as a wire file that the product loads.
  std::string err;
  auto book = models::wire_book::load(catalog(), saved.string(), err);
  std::filesystem::remove(saved);
  INFO(err);
  REQUIRE(book);
  CHECK(book->find("IP232")->form("lcd") == "/PHONE/APP/lcd_dump.bmp");
  CHECK(book->find("IP232")->form("key") == "/!mod cmd PHONE/APP key {code}");
  CHECK(book->find("IP232")->form("info") == "/CMD0/mod_cmd.xml?cmd=xml-info");
}

TEST_CASE("mpk-wirecheck reaches a phone directly with its admin password (HTTP Digest)", "[wirecheck][sim]") {
  dialect_sim s;
  const auto& p = s.phone("IP112");
  auto direct = s.sim.http_base() + "/direct/" + p.hw_id + "/";
  auto run = wirecheck({"--phone=" + direct, "--user=admin", "--password=" + s.password(p), "--product=IP112",
                        "--models-dir=" MPK_MODELS_DIR, "--acts=key:0:MENU,key:1:MENU"});
  INFO(run.out);
  REQUIRE(run.exit_code == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element r;
  REQUIRE(parser.parse(run.out).get(r) == simdjson::SUCCESS);
  CHECK(str(r["product"]) == "IP112");
  CHECK(str(r["via"]) == "direct");
  CHECK(int64_t(entry(r, "lcd")["working"].at(0)) == 1);
  CHECK(int64_t(entry(r, "registrations")["working"].at(0)) == 1);
  CHECK(int64_t(entry(r, "info")["working"].at(0)) == 0);
  auto lcd1 = entry(r, "lcd")["candidates"].at(1);
  CHECK(str(lcd1["request"]) == "/PHONE/lcd_dump.bmp");
  CHECK(int64_t(lcd1["status"]) == 200);
  CHECK(int64_t(lcd1["parsed"]["width"]) == 320);
  auto key = entry(r, "key");
  CHECK(str(key["candidates"].at(0)["result"]) == "not-this-form");
  CHECK(bool(key["candidates"].at(0)["visible"]) == false);
  CHECK(str(key["candidates"].at(1)["result"]) == "works");
  CHECK(bool(key["candidates"].at(1)["visible"]) == true);
  CHECK(str(r["wireFile"]["models"]["IP112"]["key"]["form"]) ==
        "/PHONE/APP/mod_cmd.xml?cmd=key&key={code}&ms={holdMs}");

  // A wrong password: the phone says 401 to everything and the tool says so.
  auto wrong = wirecheck({"--phone=" + direct, "--password=wrong", "--models-dir=" MPK_MODELS_DIR});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.out.find("the phone refused the admin password") != std::string::npos);
  // No password at all: the tool asks for one.
  auto none = wirecheck({"--phone=" + direct, "--product=IP112", "--models-dir=" MPK_MODELS_DIR});
  CHECK(none.exit_code == 0);
  CHECK(none.out.find("\"status\":401") != std::string::npos);
  CHECK(none.out.find("the phone asks for its admin password") != std::string::npos);
  CHECK(none.out.find("\"result\":\"works\"") == std::string::npos);
  // Bad command lines are refused before anything is sent.
  CHECK(wirecheck({"--models-dir=" MPK_MODELS_DIR}).exit_code == 2);
  CHECK(wirecheck({"--phone=ftp://x/", "--models-dir=" MPK_MODELS_DIR}).exit_code == 2);
  CHECK(wirecheck({"--phone=" + direct, "--acts=key:x:MENU", "--models-dir=" MPK_MODELS_DIR}).exit_code == 2);
}

TEST_CASE("mpk-wirecheck with a wire file checks the forms a site gave", "[wirecheck][sim]") {
  dialect_sim s;
  const auto& p = s.phone("IP241");
  auto file = std::filesystem::temp_directory_path() / ("mpk-site-" + std::to_string(std::random_device{}()) + ".json");
  std::ofstream(file) << R"({"models": {"IP241": {"lcd": ["/lcd_dump.bmp", "/DISPLAY0/screen.bmp"]}}})";
  auto run = wirecheck({"--passthrough=" + s.passthrough(p), "--product=IP241", "--models-dir=" MPK_MODELS_DIR,
                        "--wire-file=" + file.string()});
  std::filesystem::remove(file);
  INFO(run.out);
  REQUIRE(run.exit_code == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element r;
  REQUIRE(parser.parse(run.out).get(r) == simdjson::SUCCESS);
  CHECK(str(r["wireOrigin"]) == file.string());
  CHECK(int64_t(entry(r, "lcd")["working"].at(0)) == 1);
  // No built-in registrations form covers this phone: none works, and the wire file leaves it out.
  CHECK(entry(r, "registrations")["working"].get_array().size() == 0);
  CHECK(r["wireFile"]["models"]["IP241"]["registrations"].error() == simdjson::NO_SUCH_FIELD);
}
