// Loading the real model data and the find() answers.

#include "common/models/catalog.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

using namespace mpk::models;
namespace fs = std::filesystem;

namespace {

const catalog& real_catalog() {
  static const catalog c = [] {
    std::string err;
    auto loaded = catalog::load(MPK_MODELS_DIR, err);
    INFO(err);
    REQUIRE(loaded);
    return *loaded;
  }();
  return c;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A copy of the data directory with one file replaced, for the refusal tests.
struct data_copy {
  fs::path dir;
  explicit data_copy(const std::string& tag) {
    dir = fs::temp_directory_path() / ("mpk-models-test-" + tag + "-" + std::to_string(std::random_device{}()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (auto& e : fs::directory_iterator(MPK_MODELS_DIR)) fs::copy_file(e.path(), dir / e.path().filename());
  }
  ~data_copy() { fs::remove_all(dir); }
  void replace(const std::string& file, const std::string& from, const std::string& to) {
    auto s = slurp(dir / file);
    auto pos = s.find(from);
    REQUIRE(pos != std::string::npos);
    s.replace(pos, from.size(), to);
    std::ofstream(dir / file) << s;
  }
  std::string load_error() {
    std::string err;
    auto c = catalog::load(dir.string(), err);
    CHECK_FALSE(c);
    return err;
  }
};

} // namespace

TEST_CASE("every product of index.json loads with screen, keys and wire") {
  const auto& c = real_catalog();
  const std::vector<std::string> expected = {"IP101", "IP102", "IP111",  "IP112", "IP111A", "IP112A", "IP150A",
                                             "IP160", "IP222", "IP222A", "IP232", "IP110A", "IP240A", "IP241"};
  REQUIRE(c.products() == expected);
  std::set<int> depths;
  for (const auto& p : c.products()) {
    INFO(p);
    auto s = c.find(p, "PHONE", "13r2 sr1 [13.4250/131286/1300]");
    REQUIRE(s.m != nullptr);
    CHECK(s.reason.empty());
    const model& m = *s.m;
    CHECK(m.product == p);
    CHECK(m.screen.width >= 64);
    CHECK(m.screen.height >= 32);
    depths.insert(m.screen.bpp);
    for (const char* k : {"D0", "D9", "STAR", "HASH", "OK", "UP", "DOWN", "CANCEL", "HOOK", "SPEAKER"})
      CHECK(m.has_key(k));
    CHECK_FALSE(m.has_key("NOPE"));
    CHECK(c.lcd_path(m) == "/lcd_dump.bmp");
    CHECK_FALSE(c.registrations_path(m).empty());
    CHECK_FALSE(c.info_path(m).empty());
    CHECK(c.action_names(m).size() >= 5);
    // Every key has a code and the reverse lookup finds the same key.
    for (const auto& k : m.keys) {
      auto code = m.key_code(k.id);
      REQUIRE(code);
      CHECK(m.key_id_for_code(*code) == k.id);
    }
  }
  // The depths differ on purpose so a BMP decoder meets every path.
  CHECK(depths == std::set<int>{1, 4, 8, 16, 24, 32});
}

TEST_CASE("verified screen facts are in the data") {
  const auto& c = real_catalog();
  for (const char* p : {"IP111", "IP112", "IP222", "IP241"}) {
    INFO(p);
    const model* m = c.get(p);
    REQUIRE(m);
    CHECK(m->screen.width == 320);
    CHECK(m->screen.height == 240);
    CHECK(m->screen.color);
  }
  const model* ip232 = c.get("IP232");
  REQUIRE(ip232);
  CHECK(ip232->screen.width == 480);
  CHECK(ip232->screen.height == 272);
  CHECK(ip232->touch);
  CHECK(c.get("ip232") == ip232); // product names are case-insensitive
}

TEST_CASE("function keys beyond the model's count are dropped") {
  const auto& c = real_catalog();
  const model* ip101 = c.get("IP101");
  const model* ip102 = c.get("IP102");
  const model* ip112 = c.get("IP112");
  REQUIRE((ip101 && ip102 && ip112));
  CHECK_FALSE(ip101->has_key("F1"));
  CHECK(ip102->has_key("F4"));
  CHECK_FALSE(ip102->has_key("F5"));
  CHECK(ip112->has_key("F16"));
  CHECK_FALSE(ip112->has_key("F17"));
  // Old-UI IP150A has line keys, IP160 of the same family omits them.
  CHECK(c.get("IP150A")->has_key("LSK1"));
  CHECK_FALSE(c.get("IP160")->has_key("LSK1"));
  // Only the letter-keyboard family has ALPHA keys; its family file overrides two codes.
  const model* ip241 = c.get("IP241");
  CHECK(ip241->has_key("ALPHA_Q"));
  CHECK(ip241->key_code("SPACE") == "kb-space");
  CHECK_FALSE(ip112->has_key("ALPHA_Q"));
}

TEST_CASE("find explains unsupported, unknown, non-phone and old-firmware devices") {
  const auto& c = real_catalog();
  CHECK(c.find("IP150").reason == "unsupported model IP150: no V13 firmware");
  CHECK(c.find("IP240").reason == "unsupported model IP240: no V13 firmware");
  CHECK(c.find("IP63").reason == "unsupported model IP63: wireless phone");
  CHECK(c.find("d81").reason == "unsupported model d81: wireless phone");
  CHECK(c.find("IP999").reason == "unknown model IP999");
  CHECK(c.find("").reason == "unknown model (none)");
  CHECK(c.find("IP811", "GW").reason == "not a phone (type GW)");
  CHECK(c.find("IP222", "APP_PLATFORM").reason == "not a phone (type APP_PLATFORM)");
  CHECK(c.find("IP222", "PHONE", "12r2 sr5 [12.1234]").reason == "firmware V12 too old (needs V13)");
  CHECK(c.find("IP222", "PHONE", "V11r1").reason == "firmware V11 too old (needs V13)");
  CHECK(c.find("IP222", "PHONE", "beta").reason == "unrecognised firmware version \"beta\" (needs V13)");
  CHECK(c.find("IP222", "PHONE", "14r2 dvl").m == c.get("IP222"));
  CHECK(c.find("IP222", "phone", "13r1").m != nullptr);
  CHECK(c.find("IP222", "", "").m != nullptr);
  CHECK(firmware_major("13r2 dvl [13.4250/131286/1300]") == 13);
  CHECK_FALSE(firmware_major("r13"));
  CHECK_FALSE(firmware_major("123456"));
}

TEST_CASE("a catalog copy keeps its model pointers valid") {
  std::string err;
  auto c = catalog::load(MPK_MODELS_DIR, err);
  REQUIRE(c);
  catalog copy = *c;
  c.reset();
  auto s = copy.find("IP232");
  REQUIRE(s.m);
  CHECK(s.m->screen.width == 480);
}

TEST_CASE("broken data is refused with file and field") {
  SECTION("missing directory") {
    std::string err;
    CHECK_FALSE(catalog::load("/nonexistent-mpk-dir", err));
    CHECK(err == "wire.json: cannot read file");
  }
  SECTION("invalid JSON") {
    data_copy d("json");
    d.replace("IP2x2.json", "\"family\"", "family");
    CHECK(d.load_error().rfind("IP2x2.json: invalid JSON", 0) == 0);
  }
  SECTION("bad bit depth") {
    data_copy d("bpp");
    d.replace("IP10x.json", "\"bpp\": 1,", "\"bpp\": 3,");
    CHECK(d.load_error() == "IP10x.json: models.IP101.screen.bpp: must be 1, 4, 8, 16, 24 or 32");
  }
  SECTION("model missing from its family") {
    data_copy d("missing");
    d.replace("index.json", "\"IP101\", \"IP102\"", "\"IP101\", \"IP102\", \"IP103\"");
    CHECK(d.load_error() == "IP10x.json: models.IP103: missing");
  }
  SECTION("key without wire code") {
    data_copy d("code");
    d.replace("wire.json", "\"REDIAL\": \"redial\",", "");
    CHECK(d.load_error() == "IP10x.json: models.IP101: key REDIAL has no wire code (wire.keyCodes)");
  }
  SECTION("duplicate wire code") {
    data_copy d("dup");
    d.replace("wire.json", "\"REDIAL\": \"redial\"", "\"REDIAL\": \"spk\"");
    CHECK(d.load_error() == "IP10x.json: models.IP101: wire code \"spk\" used by two keys (wire.keyCodes)");
  }
  SECTION("template without its placeholder") {
    data_copy d("tmpl");
    d.replace("wire.json", "&text={text}", "&text=x");
    CHECK(d.load_error() == "IP10x.json (with wire.json): wire.text[0]: needs placeholder {text}");
  }
  SECTION("family file that escapes the directory") {
    data_copy d("path");
    d.replace("index.json", "\"IP10x\":", "\"../IP10x\":");
    CHECK(d.load_error() == "index.json: families.../IP10x: bad family name (letters, digits, '-' and '_' only)");
  }
}
