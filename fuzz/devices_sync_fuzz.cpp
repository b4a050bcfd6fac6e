// Fuzz target: a whole conversation with a Devices instance. The input is a list of text frames
// separated by a line "\n--\n"; "$SRC" in a frame stands for the src of the last request the sync
// sent, so results reach every phase (user info, login info, domains, device chunks, live pushes)
// instead of being ignored as answers to another request. Every frame is also parsed on its own
// as a device and a domain object.

#include "common/json/envelope.hpp"
#include "services/registry/device_parse.hpp"
#include "services/registry/devices_sync.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

std::string src_of(const std::string& frame) {
  static mpk::json::envelope_parser p;
  mpk::json::envelope_errc e{};
  auto env = p.parse(frame, e);
  return env ? std::string(env->src()) : std::string();
}

std::string substitute(std::string_view frame, const std::string& src) {
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    auto at = frame.find("$SRC", pos);
    out.append(frame.substr(pos, at == std::string_view::npos ? std::string_view::npos : at - pos));
    if (at == std::string_view::npos) return out;
    out += src;
    pos = at + 4;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  mpk::registry::devices_sync sync("t1/dev", "t1", "wss://ap.example.com/dom/devices/innovaphone-devices-api", 1 << 20);
  std::string src = src_of(sync.start());
  static simdjson::dom::parser dom;

  std::size_t pos = 0;
  int frames = 0;
  while (pos <= input.size() && frames++ < 64) {
    auto end = input.find("\n--\n", pos);
    auto frame = input.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    auto text = substitute(frame, src);
    auto r = sync.on_frame(text);
    if (!r.send.empty()) src = src_of(r.send.back());
    if (r.snapshot_ready) {
      auto snap = sync.take_snapshot();
      (void)snap;
    }
    if (sync.has_delta()) (void)sync.take_delta();
    if (!r.fatal.empty()) break;

    // The same bytes as a single device / domain object (e.g. a push body).
    simdjson::dom::element el;
    if (!dom.parse(text).get(el)) {
      std::string uri;
      (void)mpk::registry::parse_device(el, "t1/dev", &uri);
      (void)mpk::registry::parse_domain(el, "t1/dev");
      (void)mpk::registry::passthrough_base_from_uri(uri, "009033000001", "K");
    }
    (void)mpk::registry::passthrough_base_from_url(text);
    if (end == std::string_view::npos) break;
    pos = end + 4;
  }
  (void)sync.passthrough_base();
  return 0;
}
