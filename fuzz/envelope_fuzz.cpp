// Fuzz target: one AppWebsocket text frame, as a browser, a PBX or a Devices instance may send it.
// After a successful parse, every field the app-protocol handlers read is read the same way
// (typed getters, nested bodies, raw src/info), replies echo api/src, and the AppLogin `info`
// forms and the trace mask run on the same bytes. Nothing may crash, throw or read out of bounds.

#include "common/base/log.hpp"
#include "common/crypto/info_json.hpp"
#include "common/json/envelope.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

/// Every member name the gateway reads from a client, login or PBX frame.
constexpr const char* fields[] = {
  "device",  "seq",     "holdMs",  "key",    "x",         "y",      "text",   "layout",    "action",
  "arg",     "command", "limit",   "offset", "domain",    "online", "search", "subscribe", "resumeFrom",
  "product", "app",     "sip",     "guid",   "dn",        "digest", "pbxObj", "password",  "challenge",
  "pbx",     "pbxDns",  "version", "error",  "errorText", "salt",   "info",   "src",       "api"};

/// Walks a nested body the way the handlers do (TypeKeys keys, SetTrace flags, PbxInfo apis,
/// ServicesInfo services), bounded by depth.
void walk(simdjson::dom::element el, int depth) {
  if (depth > 8) return;
  if (auto arr = el.get_array(); !arr.error()) {
    std::size_t n = 0;
    for (auto item : arr.value()) {
      std::string_view code;
      bool flag = false;
      (void)item["code"].get(code);
      (void)item["shift"].get(flag);
      (void)item["name"].get(code);
      walk(item, depth + 1);
      if (++n > 64) break;
    }
  } else if (auto obj = el.get_object(); !obj.error()) {
    for (auto [k, v] : obj.value()) {
      bool b = false;
      (void)v.get(b);
      (void)k.size();
      walk(v, depth + 1);
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  // A small limit as well as the default, so the too_large path is reached too.
  static mpk::json::envelope_parser parser(1 << 20);
  static mpk::json::envelope_parser small(64);
  mpk::json::envelope_errc err{};
  (void)small.parse(frame, err);
  (void)mpk::json::describe(err);

  if (const auto* env = parser.parse(frame, err)) {
    (void)env->mt();
    (void)env->api();
    (void)env->src();
    for (const char* f : fields) {
      (void)env->string(f);
      (void)env->integer(f);
      (void)env->boolean(f);
      (void)env->number(f);
      (void)env->has(f);
      (void)env->raw(f);
    }
    for (const char* body : {"keys", "flags", "apis", "services", "info", "devices", "domains"}) {
      simdjson::dom::element el;
      if (!env->root()[body].get(el)) walk(el, 0);
    }
    // Replies echo the request's api and src.
    mpk::json::json_writer w;
    mpk::json::begin_reply(w, *env, "FuzzResult");
    w.end_object();
    (void)w.take();
    (void)mpk::json::error_reply(env, "FuzzResult", "BAD_REQUEST", env->mt());
    if (auto info = env->raw("info")) {
      (void)mpk::crypto::compact_json(*info);
      (void)mpk::crypto::canonical_json(*info);
    }
  } else {
    (void)mpk::json::describe(err);
  }
  // The info forms and the trace mask also take any bytes.
  (void)mpk::crypto::compact_json(frame);
  (void)mpk::crypto::canonical_json(frame);
  (void)mpk::log::mask_secrets(frame);
  return 0;
}
