// Operators' function-key labels: the file per node, the check of SetKeyLabels, and KeyStates
// merging them with what the phone reports.
#include "services/phone-session/src/key_labels.hpp"
#include "tests/phone_session/test_catalog.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <random>

using namespace mpk::session;

namespace {

struct temp_file {
  std::string path;
  explicit temp_file(const char* tag) {
    std::random_device rd;
    path = "/tmp/mpk_labels_" + std::string(tag) + "_" + std::to_string(rd()) + ".json";
  }
  ~temp_file() {
    std::remove(path.c_str());
    std::remove((path + ".tmp").c_str());
  }
};

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const mpk::models::model& model(const char* p) {
  const auto* m = mpk::test::catalog().get(p);
  REQUIRE(m);
  return *m;
}

} // namespace

TEST_CASE("label store: set, remove, keep across a restart") {
  temp_file f("store");
  std::string err;
  {
    key_label_store s(f.path);
    REQUIRE(s.load(err)); // no file yet: empty
    CHECK(s.labels("009033000001").empty());
    auto after = s.set("009033000001", {{"F1", "Alice"}, {"F3", "Sales \"EU\""}}, err);
    REQUIRE(after);
    CHECK(*after == label_map{{"F1", "Alice"}, {"F3", "Sales \"EU\""}});
    REQUIRE(s.set("009033000002", {{"F2", "Bob"}}, err));
    after = s.set("009033000001", {{"F1", ""}}, err); // "" removes
    REQUIRE(after);
    CHECK(*after == label_map{{"F3", "Sales \"EU\""}});
    REQUIRE(s.set("009033000002", {{"F2", ""}}, err)); // a phone without labels leaves the file
  }
  CHECK(read_all(f.path) == "{\"009033000001\":{\"F3\":\"Sales \\\"EU\\\"\"}}\n");
  key_label_store again(f.path);
  REQUIRE(again.load(err));
  CHECK(again.labels("009033000001") == label_map{{"F3", "Sales \"EU\""}});
  CHECK(again.labels("009033000002").empty());
}

TEST_CASE("label store: a broken file is reported and not overwritten by loading") {
  temp_file f("broken");
  for (const char* text : {"[1,2]", "{\"009033000001\":[\"F1\"]}", "{\"009033000001\":{\"F1\":7}}", "{nope"}) {
    INFO(text);
    std::ofstream(f.path) << text;
    key_label_store s(f.path);
    std::string err;
    CHECK_FALSE(s.load(err));
    CHECK(err.find(f.path) != std::string::npos);
    CHECK(read_all(f.path) == text);
  }
}

TEST_CASE("label store: a change that cannot be written is not kept") {
  key_label_store s("/nonexistent-dir/labels.json");
  std::string err;
  REQUIRE(s.load(err));
  CHECK_FALSE(s.set("009033000001", {{"F1", "Alice"}}, err));
  CHECK(err.find("cannot write") != std::string::npos);
  CHECK(s.labels("009033000001").empty());
  // Without a path the labels live in memory only.
  key_label_store mem("");
  CHECK(mem.set("009033000001", {{"F1", "Alice"}}, err));
  CHECK(mem.labels("009033000001") == label_map{{"F1", "Alice"}});
}

TEST_CASE("SetKeyLabels: only function keys of the model, bounded UTF-8 text") {
  const auto& ip112 = model("IP112");
  std::string err;
  auto ok = parse_label_changes(R"({"F1":"  Alice  ","F16":"Zoë Müller","F2":""})", ip112, err);
  REQUIRE(ok);
  CHECK(*ok == label_map{{"F1", "Alice"}, {"F16", "Zoë Müller"}, {"F2", ""}});
  CHECK(parse_label_changes(R"({"F1":")" + std::string(40, 'x') + "\"}", ip112, err));

  const std::pair<std::string, std::string> bad[] = {
    {"[]", "JSON object"},
    {"{}", "no label"},
    {R"({"D5":"x"})", "no function key D5"},
    {R"({"F17":"x"})", "no function key F17"},
    {R"({"F1":7})", "must be a string"},
    {R"({"F1":"a\nb"})", "not valid UTF-8 text"},
    {"{\"F1\":\"\xff\"}", "JSON object (UTF-8)"},
    {R"({"F1":")" + std::string(41, 'x') + "\"}", "longer than 40"},
    {"{nope", "JSON object"},
  };
  for (const auto& [json, why] : bad) {
    INFO(json);
    err.clear();
    CHECK_FALSE(parse_label_changes(json, ip112, err));
    CHECK(err.find(why) != std::string::npos);
  }
  // IP111 has 8 function keys, IP101 none.
  CHECK_FALSE(parse_label_changes(R"({"F9":"x"})", model("IP111"), err));
  CHECK_FALSE(parse_label_changes(R"({"F1":"x"})", model("IP101"), err));
}

TEST_CASE("KeyStates: the phone's label wins, the operator's stands in, LEDs from the phone") {
  const auto& ip112 = model("IP112");
  CHECK(key_states_json(ip112, {}, {}) == "\"keys\":[]");
  label_map op{{"F1", "Alice"}, {"F2", "Bob"}};
  phone_key_map ph{{"F2", {"Robert", "on", "green"}}, {"F3", {"", "blink", ""}}, {"D5", {"x", "on", ""}}};
  CHECK(
    key_states_json(ip112, op, ph) ==
    "\"keys\":["
    "{\"id\":\"F1\",\"label\":\"Alice\",\"from\":\"operator\",\"operator\":\"Alice\"},"
    "{\"id\":\"F2\",\"label\":\"Robert\",\"from\":\"phone\",\"operator\":\"Bob\",\"led\":\"on\",\"colour\":\"green\"},"
    "{\"id\":\"F3\",\"led\":\"blink\"}]");
}
