#include "common/json/envelope.hpp"

namespace mpk::json {

void begin_reply(json_writer& w, const envelope& req, std::string_view mt) {
  w.begin_object().member("mt", mt);
  if (auto api = req.raw("api")) w.key("api").raw(*api);
  if (req.has_src()) {
    // Echo src unchanged, whatever its type (clients match on it).
    if (auto src = req.raw("src")) w.key("src").raw(*src);
  }
}

void begin_message(json_writer& w, std::string_view mt, std::string_view api, std::string_view src) {
  w.begin_object().member("mt", mt);
  if (!api.empty()) w.member("api", api);
  if (!src.empty()) w.member("src", src);
}

std::string error_reply(const envelope* req_or_null, std::string_view mt, std::string_view error,
                        std::string_view error_text) {
  json_writer w;
  w.reserve(64 + mt.size() + error.size() + error_text.size());
  if (req_or_null)
    begin_reply(w, *req_or_null, mt);
  else
    begin_message(w, mt);
  w.member("error", error).member("errorText", error_text).end_object();
  return w.take();
}

} // namespace mpk::json
