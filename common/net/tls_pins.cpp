#include "common/net/tls_pins.hpp"

#include "common/base/config.hpp"
#include "common/net/cert_text.hpp"
#include "common/net/url.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace mpk::net {

namespace {

constexpr std::string_view pin_prefix = "tls.pin.";

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

} // namespace

void tls_pins::declare(config::settings& s) {
  s.add(std::string(pin_prefix), "",
        "per Devices instance: tls.pin.<link id | host:port | host> = sha256/<hex>, the one certificate trusted there "
        "(e.g. an App Platform's self-signed one)")
    .add("tls.pin-file", "",
         "file of `<link id | host:port | host> = sha256/<hex>` lines, read at start and written by the status "
         "panel's \"trust this certificate\" action (empty: that action is off)");
}

bool tls_pins::load(const config::settings& s, std::string& err) {
  configured_.clear();
  for (auto& [name, value] : s.with_prefix(pin_prefix)) {
    auto key = name.substr(pin_prefix.size());
    if (key.empty()) continue;
    auto hex = parse_pin(value);
    if (!hex) {
      err = name + ": '" + value + "' is not a pin (sha256/<64 hex digits>)";
      return false;
    }
    configured_[key] = *hex;
  }
  file_path_ = s.get("tls.pin-file");
  return read_file(err);
}

bool tls_pins::read_file(std::string& err) {
  from_file_.clear();
  if (file_path_.empty()) return true;
  std::ifstream in(file_path_);
  if (!in) return true; // no pin written yet
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto text = trimmed(line);
    if (text.empty() || text.front() == '#') continue;
    auto eq = text.find('=');
    auto hex = eq == std::string_view::npos ? std::nullopt : parse_pin(text.substr(eq + 1));
    auto key = trimmed(text.substr(0, eq == std::string_view::npos ? 0 : eq));
    if (!hex || key.empty()) {
      err = file_path_ + ":" + std::to_string(number) + ": not a `<key> = sha256/<hex>` line";
      return false;
    }
    from_file_[std::string(key)] = *hex;
  }
  return true;
}

std::string tls_pins::lookup(std::string_view link_id, std::string_view url) const {
  std::string keys[3] = {std::string(link_id), {}, {}};
  if (auto u = parse_url(url)) {
    keys[1] = u->host + ":" + u->port;
    keys[2] = u->host;
  }
  for (auto* table : {&from_file_, &configured_})
    for (auto& key : keys)
      if (!key.empty())
        if (auto it = table->find(key); it != table->end()) return it->second;
  return {};
}

bool tls_pins::pin(const std::string& key, const std::string& hex, std::string& err) {
  if (file_path_.empty()) {
    err = "no pin file is configured (tls.pin-file)";
    return false;
  }
  if (key.empty() || key.find_first_of("=\n\r#") != std::string::npos || !parse_pin(pin_text(hex))) {
    err = "not a pin for '" + key + "'";
    return false;
  }
  auto next = from_file_;
  next[key] = hex;
  std::ostringstream text;
  text << "# Certificates an operator trusts per Devices instance (written by myPhoneKeys' status panel).\n";
  for (auto& [k, v] : next) text << k << " = " << pin_text(v) << "\n";
  auto temp = file_path_ + ".new";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << text.str();
    if (!out.flush()) {
      err = "cannot write " + temp;
      return false;
    }
  }
  if (std::rename(temp.c_str(), file_path_.c_str()) != 0) {
    err = "cannot replace " + file_path_;
    return false;
  }
  from_file_ = std::move(next);
  return true;
}

} // namespace mpk::net
