// Operators' function-key labels per phone (one JSON file per node), the check of SetKeyLabels,
// and the KeyStates body that merges them with what the phone reports.

#include "services/phone-session/src/key_labels.hpp"

#include "common/json/writer.hpp"
#include "common/models/catalog.hpp"
#include "common/models/model.hpp"

#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace mpk::session {

namespace {

constexpr std::size_t max_file_bytes = 64u << 20;

/// Unicode characters of valid UTF-8 (continuation bytes are not counted).
std::size_t chars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string trimmed(std::string_view s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(' ');
  return std::string(s.substr(b, e - b + 1));
}

} // namespace

bool key_label_store::load(std::string& error) {
  std::lock_guard lock(mu_);
  by_phone_.clear();
  if (path_.empty()) return true;
  std::ifstream in(path_, std::ios::binary);
  if (!in) return true; // no labels yet
  std::ostringstream ss;
  ss << in.rdbuf();
  auto text = ss.str();
  if (text.size() > max_file_bytes) {
    error = path_ + ": larger than " + std::to_string(max_file_bytes >> 20) + " MB";
    return false;
  }
  simdjson::dom::parser parser;
  simdjson::dom::object phones;
  if (parser.parse(text).get(phones)) {
    error = path_ + ": not a JSON object";
    return false;
  }
  std::map<std::string, label_map> read;
  for (auto [hw, labels] : phones) {
    simdjson::dom::object o;
    if (labels.get(o)) {
      error = path_ + ": the labels of " + std::string(hw) + " are not an object";
      return false;
    }
    auto& mine = read[std::string(hw)];
    for (auto [id, text_el] : o) {
      std::string_view v;
      if (text_el.get(v)) {
        error = path_ + ": label " + std::string(hw) + "/" + std::string(id) + " is not a string";
        return false;
      }
      if (!v.empty()) mine.emplace(std::string(id), std::string(v));
    }
  }
  by_phone_ = std::move(read);
  return true;
}

label_map key_label_store::labels(const std::string& hw_id) const {
  std::lock_guard lock(mu_);
  auto it = by_phone_.find(hw_id);
  return it == by_phone_.end() ? label_map{} : it->second;
}

std::optional<label_map> key_label_store::set(const std::string& hw_id, const label_map& changes, std::string& error) {
  std::lock_guard lock(mu_);
  auto before = by_phone_;
  auto& mine = by_phone_[hw_id];
  for (const auto& [id, text] : changes) {
    if (text.empty())
      mine.erase(id);
    else
      mine[id] = text;
  }
  auto after = mine;
  if (mine.empty()) by_phone_.erase(hw_id);
  if (!write_locked(error)) {
    by_phone_ = std::move(before);
    return std::nullopt;
  }
  return after;
}

bool key_label_store::write_locked(std::string& error) const {
  if (path_.empty()) return true;
  json::json_writer w;
  w.begin_object();
  for (const auto& [hw, labels] : by_phone_) {
    w.key(hw).begin_object();
    for (const auto& [id, text] : labels) w.member(id, text);
    w.end_object();
  }
  w.end_object();
  auto text = w.take();
  text += '\n';
  // A reader never sees half a file: write beside it, then replace it in one step.
  auto tmp = path_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(text.data(), static_cast<std::streamsize>(text.size())) || !out.flush()) {
      error = "cannot write " + tmp;
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path_.c_str()) != 0) {
    error = "cannot replace " + path_;
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

std::optional<label_map> parse_label_changes(std::string_view json, const models::model& m, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(json.data(), json.size()).get(o)) {
    error = "labels must be a JSON object (UTF-8) of key id to text";
    return std::nullopt;
  }
  label_map out;
  for (auto [id_sv, v] : o) {
    std::string id(id_sv);
    const auto* k = m.find_key(id);
    if (!k || k->kind != models::key_kind::function) {
      error = "model " + m.product + " has no function key " + id;
      return std::nullopt;
    }
    std::string_view text;
    if (v.get(text)) {
      error = "the label of " + id + " must be a string";
      return std::nullopt;
    }
    if (!models::valid_utf8(text) || models::has_control(text)) {
      error = "the label of " + id + " is not valid UTF-8 text";
      return std::nullopt;
    }
    auto t = trimmed(text);
    if (chars(t) > max_label_chars) {
      error = "the label of " + id + " is longer than " + std::to_string(max_label_chars) + " characters";
      return std::nullopt;
    }
    out[id] = std::move(t);
  }
  if (out.empty()) {
    error = "no label given";
    return std::nullopt;
  }
  return out;
}

std::string key_states_json(const models::model& m, const label_map& operator_labels, const phone_key_map& phone) {
  json::json_writer w;
  w.begin_array();
  for (const auto& k : m.keys) {
    if (k.kind != models::key_kind::function) continue;
    auto op = operator_labels.find(k.id);
    auto ph = phone.find(k.id);
    bool has_phone_label = ph != phone.end() && !ph->second.label.empty();
    bool has_led = ph != phone.end() && !ph->second.led.empty();
    if (op == operator_labels.end() && !has_phone_label && !has_led) continue;
    w.begin_object().member("id", k.id);
    if (has_phone_label)
      w.member("label", ph->second.label).member("from", "phone");
    else if (op != operator_labels.end())
      w.member("label", op->second).member("from", "operator");
    if (op != operator_labels.end()) w.member("operator", op->second);
    if (has_led) {
      w.member("led", ph->second.led);
      if (!ph->second.colour.empty()) w.member("colour", ph->second.colour);
    }
    w.end_object();
  }
  w.end_array();
  return "\"keys\":" + w.take();
}

} // namespace mpk::session
