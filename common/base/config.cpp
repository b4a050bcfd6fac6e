#include "common/base/config.hpp"

#include "common/base/log.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace mpk::config {

namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string env_name(std::string_view name) {
  std::string out = "MPK_";
  for (char c : name)
    out.push_back(c == '.' || c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

} // namespace

settings::settings(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {
  add("config", "", "configuration file (name = value lines, [section] headers)");
  add("log.level", "info", "minimum level of untraced log lines: debug, info, warn, error");
  add("trace", "", "trace categories switched on at start, comma separated: app, appws, link, lcd");
}

settings& settings::add(std::string name, std::string default_value, std::string help, bool secret) {
  option o;
  o.value = default_value;
  o.default_value = std::move(default_value);
  o.help = std::move(help);
  o.secret = secret;
  options_[std::move(name)] = std::move(o);
  return *this;
}

bool settings::assign(std::string_view name, std::string value, std::string_view source, std::string& message) {
  auto it = options_.find(name);
  if (it != options_.end()) {
    it->second.value = std::move(value);
    return true;
  }
  // Keys under a declared prefix option ("tenant." style) are kept as free-form entries.
  for (auto& [declared, opt] : options_) {
    if (!declared.empty() && declared.back() == '.' && name.substr(0, declared.size()) == declared) {
      extra_[std::string(name)] = std::move(value);
      return true;
    }
  }
  message = "unknown option '" + std::string(name) + "' (" + std::string(source) + "); see --help";
  return false;
}

bool settings::set(std::string_view name, std::string value, std::string& message) {
  return assign(name, std::move(value), "set", message);
}

bool settings::load_file(const std::string& path, std::string& message) {
  std::ifstream in(path);
  if (!in) {
    message = "cannot read config file '" + path + "'";
    return false;
  }
  std::string line, section;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      section = trim(std::string_view(t).substr(1, t.size() - 2));
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos) {
      message = path + ":" + std::to_string(number) + ": expected 'name = value'";
      return false;
    }
    auto key = trim(std::string_view(t).substr(0, eq));
    auto val = trim(std::string_view(t).substr(eq + 1));
    if (val.size() >= 2 && val.front() == '"' && val.back() == '"') val = val.substr(1, val.size() - 2);
    if (!section.empty()) key = section + "." + key;
    if (!assign(key, val, path + ":" + std::to_string(number), message)) return false;
  }
  return true;
}

settings::outcome settings::parse(int argc, const char* const* argv, std::string& message) {
  // Pass 1: help and the config file name.
  std::string file;
  if (const char* env = std::getenv("MPK_CONFIG")) file = env;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      message = help_text();
      return outcome::help;
    }
    if (a.substr(0, 9) == "--config=")
      file = std::string(a.substr(9));
    else if (a == "--config" && i + 1 < argc)
      file = argv[i + 1];
  }
  if (!file.empty()) {
    options_["config"].value = file;
    if (!load_file(file, message)) return outcome::error;
  }
  // Pass 2: the environment.
  for (auto& [name, opt] : options_) {
    if (const char* env = std::getenv(env_name(name).c_str())) opt.value = env;
  }
  // Pass 3: flags.
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.substr(0, 2) != "--") {
      message = "unexpected argument '" + std::string(a) + "'; see --help";
      return outcome::error;
    }
    a.remove_prefix(2);
    std::string name, value;
    if (auto eq = a.find('='); eq != std::string_view::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
    } else {
      name = a;
      auto it = options_.find(name);
      bool boolean =
        it != options_.end() && (it->second.default_value == "false" || it->second.default_value == "true");
      if (boolean)
        value = "true";
      else if (i + 1 < argc)
        value = argv[++i];
      else {
        message = "option --" + name + " needs a value";
        return outcome::error;
      }
    }
    if (name == "config") continue;
    if (!assign(name, value, "command line", message)) return outcome::error;
  }
  return outcome::run;
}

std::string settings::get(std::string_view name) const {
  if (auto it = options_.find(name); it != options_.end()) return it->second.value;
  if (auto it = extra_.find(name); it != extra_.end()) return it->second;
  return {};
}

std::int64_t settings::get_int(std::string_view name) const {
  auto v = get(name);
  char* end = nullptr;
  auto n = std::strtoll(v.c_str(), &end, 10);
  return (end && *end == 0 && !v.empty()) ? n : 0;
}

bool settings::get_bool(std::string_view name) const {
  auto v = get(name);
  return v == "true" || v == "1" || v == "yes" || v == "on";
}

double settings::get_double(std::string_view name) const { return std::strtod(get(name).c_str(), nullptr); }

std::vector<std::string> settings::get_list(std::string_view name) const {
  std::vector<std::string> out;
  std::stringstream ss(get(name));
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto t = trim(item);
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> settings::with_prefix(std::string_view prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [k, v] : extra_)
    if (k.compare(0, prefix.size(), prefix) == 0) out.emplace_back(k, v);
  return out;
}

std::string settings::help_text() const {
  std::ostringstream os;
  os << program_ << " - " << summary_ << "\n\nUsage: " << program_ << " [--config=FILE] [--name=value ...]\n"
     << "Every option can also be set in the config file (name = value) or the environment (MPK_NAME).\n\nOptions:\n";
  for (auto& [name, opt] : options_) {
    os << "  --" << name;
    if (!opt.default_value.empty()) os << " (default: " << (opt.secret ? "***" : opt.default_value) << ")";
    os << "\n      " << opt.help << "   [env " << env_name(name) << "]\n";
  }
  return os.str();
}

std::string settings::describe() const {
  std::ostringstream os;
  for (auto& [name, opt] : options_)
    os << name << " = " << (opt.secret && !opt.value.empty() ? "***" : opt.value) << "\n";
  for (auto& [name, v] : extra_) {
    bool secret = name.find("password") != std::string::npos;
    os << name << " = " << (secret ? "***" : v) << "\n";
  }
  return os.str();
}

std::optional<int> start_from_command_line(settings& s, int argc, const char* const* argv) {
  std::string msg;
  switch (s.parse(argc, argv, msg)) {
    case settings::outcome::help: std::cout << msg; return 0;
    case settings::outcome::error: std::cerr << msg << "\n"; return 2;
    case settings::outcome::run: break;
  }
  for (auto& name : s.get_list("trace")) {
    if (auto c = log::category_from(name))
      log::set_trace(*c, true);
    else
      std::cerr << "unknown trace category '" << name << "' (app, appws, link, lcd)\n";
  }
  return std::nullopt;
}

} // namespace mpk::config
