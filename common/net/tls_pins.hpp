#pragma once
// Operator pins of peer certificates, per Devices instance: `tls.pin.<key> = sha256/<hex>` in the
// configuration, and the same lines in the pin file (tls.pin-file) that the status panel's
// "trust this certificate" action writes. A key is a devices-api link id
// ("tenant1.example.com/devices-api"), a "host:port" or a host of the instance's URL.

#include <map>
#include <string>
#include <string_view>

namespace mpk::config {
class settings;
}

namespace mpk::net {

class tls_pins {
public:
  /// Declares tls.pin.<key> and tls.pin-file.
  static void declare(config::settings& s);

  /// The pins of the configuration and of the pin file (a missing file is empty). False with
  /// `err` naming the entry when a value is not a pin or the file cannot be read.
  bool load(const config::settings& s, std::string& err);

  /// The pin (lower-case hex) for a link: by its id, by host:port, by host of `url`; "" = none.
  /// The pin file's entries come first: they are the operator's latest word.
  std::string lookup(std::string_view link_id, std::string_view url) const;

  /// The operator's action: pins `key` to `hex` and writes the pin file at once (atomically).
  /// False with `err` when no pin file is configured or it cannot be written (nothing changes then).
  bool pin(const std::string& key, const std::string& hex, std::string& err);

  const std::string& file() const { return file_path_; }

private:
  bool read_file(std::string& err);
  std::map<std::string, std::string, std::less<>> configured_, from_file_;
  std::string file_path_;
};

} // namespace mpk::net
