#pragma once
// Configuration of every binary: declared options with defaults and help, read from a file,
// the environment and the command line (later sources win: file < environment < flags).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::config {

class settings {
public:
  settings(std::string program, std::string summary);

  /// Declares an option. Names are lower-case with dots, e.g. "gateway.port".
  /// Secret options (passwords) are masked in describe() and must not be given as flags in production.
  settings& add(std::string name, std::string default_value, std::string help, bool secret = false);

  enum class outcome { run, help, error };

  /// Sources, in order: the file named by --config=FILE (or MPK_CONFIG), the environment
  /// (MPK_ + name upper-cased with '.' and '-' as '_', e.g. MPK_GATEWAY_PORT), then --name=value / --name value flags.
  /// The file holds `name = value` lines; `[section]` prefixes the following names with "section.".
  outcome parse(int argc, const char* const* argv, std::string& message);

  /// Loads one file directly (used by parse and by tests).
  bool load_file(const std::string& path, std::string& message);

  /// Sets a value as if given on the command line (tests, embedded defaults).
  bool set(std::string_view name, std::string value, std::string& message);

  std::string get(std::string_view name) const;
  std::int64_t get_int(std::string_view name) const;
  bool get_bool(std::string_view name) const;
  double get_double(std::string_view name) const;
  /// Values of `name` split at commas (empty entries dropped).
  std::vector<std::string> get_list(std::string_view name) const;
  /// Every option whose name starts with `prefix` (e.g. "tenant."), with its value.
  std::vector<std::pair<std::string, std::string>> with_prefix(std::string_view prefix) const;

  std::string help_text() const;
  /// The effective configuration, one `name = value` per line, secrets masked.
  std::string describe() const;

private:
  struct option {
    std::string value, default_value, help;
    bool secret = false;
  };
  bool assign(std::string_view name, std::string value, std::string_view source, std::string& message);
  std::string program_, summary_;
  std::map<std::string, option, std::less<>> options_;
  /// Free-form keys from files/env under declared prefixes ending in '.' (e.g. "tenant.").
  std::map<std::string, std::string, std::less<>> extra_;
};

/// The start of every binary's main: parses the command line, prints --help or the error, and
/// switches on the `trace` categories. Returns the exit code when the program should stop now.
std::optional<int> start_from_command_line(settings& s, int argc, const char* const* argv);

} // namespace mpk::config
