#include "common/json/envelope.hpp"

#include "common/json/raw_member.hpp"

#include <cstring>

namespace mpk::json {

std::string_view describe(envelope_errc e) {
  switch (e) {
    case envelope_errc::too_large: return "frame is larger than the allowed maximum";
    case envelope_errc::malformed: return "frame is not valid JSON";
    case envelope_errc::not_object: return "frame is not a JSON object";
    case envelope_errc::missing_mt: return "frame has no \"mt\" member";
    case envelope_errc::mt_not_string: return "frame member \"mt\" is not a string";
  }
  return "unknown frame error";
}

// -- envelope accessors --------------------------------------------------------

std::optional<std::string_view> envelope::string(std::string_view key) const {
  std::string_view v;
  if (object_.at_key(key).get_string().get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

std::optional<std::int64_t> envelope::integer(std::string_view key) const {
  simdjson::dom::element e;
  if (object_.at_key(key).get(e) != simdjson::SUCCESS || !e.is_int64()) return std::nullopt;
  std::int64_t v = 0;
  if (e.get_int64().get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

std::optional<bool> envelope::boolean(std::string_view key) const {
  bool v = false;
  if (object_.at_key(key).get_bool().get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

std::optional<double> envelope::number(std::string_view key) const {
  simdjson::dom::element e;
  if (object_.at_key(key).get(e) != simdjson::SUCCESS || !e.is_number()) return std::nullopt;
  double v = 0;
  if (e.get_double().get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

bool envelope::has(std::string_view key) const { return object_.at_key(key).error() == simdjson::SUCCESS; }

std::optional<std::string_view> envelope::raw(std::string_view key) const {
  // The DOM knows the unescaped keys and their order; the text scan then only has to count
  // members. This keeps escaped keys ("\u0069nfo") and duplicates consistent with the getters.
  std::size_t index = 0;
  for (auto field : object_) {
    if (field.key == key) return detail::raw_member_at(text_, index);
    ++index;
  }
  return std::nullopt;
}

// -- parser ----------------------------------------------------------------------

struct envelope_parser::state {
  std::size_t max_bytes;
  simdjson::dom::parser parser;
  std::unique_ptr<char[]> buffer;
  std::size_t capacity = 0;
  envelope env;
};

envelope_parser::envelope_parser(std::size_t max_bytes) : state_(std::make_unique<state>()) {
  state_->max_bytes = max_bytes;
}

envelope_parser::~envelope_parser() = default;
envelope_parser::envelope_parser(envelope_parser&&) noexcept = default;
envelope_parser& envelope_parser::operator=(envelope_parser&&) noexcept = default;

const envelope* envelope_parser::parse(std::string_view frame, envelope_errc& err) {
  if (!state_) { // moved-from parser
    err = envelope_errc::malformed;
    return nullptr;
  }
  auto& parser_ = state_->parser;
  auto& buffer_ = state_->buffer;
  auto& capacity_ = state_->capacity;
  auto& env_ = state_->env;
  env_ = envelope{};
  if (frame.size() > state_->max_bytes) {
    err = envelope_errc::too_large;
    return nullptr;
  }
  // Frames arrive unpadded; simdjson reads up to SIMDJSON_PADDING bytes past the end.
  std::size_t need = frame.size() + simdjson::SIMDJSON_PADDING;
  if (need > capacity_) {
    buffer_ = std::make_unique<char[]>(need);
    capacity_ = need;
  }
  if (!frame.empty()) std::memcpy(buffer_.get(), frame.data(), frame.size());
  std::memset(buffer_.get() + frame.size(), 0, simdjson::SIMDJSON_PADDING);

  simdjson::dom::element root;
  if (parser_.parse(buffer_.get(), frame.size(), false).get(root) != simdjson::SUCCESS) {
    err = envelope_errc::malformed;
    return nullptr;
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    err = envelope_errc::not_object;
    return nullptr;
  }
  simdjson::dom::element mt;
  if (object.at_key("mt").get(mt) != simdjson::SUCCESS) {
    err = envelope_errc::missing_mt;
    return nullptr;
  }
  if (mt.get_string().get(env_.mt_) != simdjson::SUCCESS) {
    err = envelope_errc::mt_not_string;
    return nullptr;
  }
  env_.root_ = root;
  env_.object_ = object;
  env_.text_ = std::string_view(buffer_.get(), frame.size());
  std::string_view s;
  if (object.at_key("api").get_string().get(s) == simdjson::SUCCESS) env_.api_ = s;
  simdjson::dom::element src;
  if (object.at_key("src").get(src) == simdjson::SUCCESS) {
    env_.has_src_ = true;
    if (src.get_string().get(s) == simdjson::SUCCESS) env_.src_ = s;
  }
  return &env_;
}

} // namespace mpk::json
