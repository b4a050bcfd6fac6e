#pragma once
/// The simulator's throw-away certificate authority, made fresh at each start: an App Platform's
/// web server usually has a certificate no browser or service trusts out of the box, and this CA
/// makes exactly that situation (or, once its ca.pem is trusted or a certificate pinned, the
/// working one). Only the simulator and tests make certificates; the product never does.

#include <memory>
#include <string>
#include <vector>

namespace mpk::sim {

/// A certificate and key written as PEM files.
struct issued_certificate {
  std::string cert_file, key_file;
  std::string subject;     ///< e.g. "CN=devices.sim.example.com"
  std::string fingerprint; ///< SHA-256 of the certificate, lower-case hex
};

/// Subject and fingerprint of the first certificate in `out.cert_file` (a pair given from outside,
/// so the simulator can name it like one it made). False with `err` when the file holds none.
bool describe_certificate(issued_certificate& out, std::string& err);

class throwaway_ca {
public:
  /// A new CA (ECDSA P-256, valid 30 days) named `name`, its certificate written to `ca_file`.
  /// nullptr with `err` set when OpenSSL or the file fails.
  static std::unique_ptr<throwaway_ca> create(const std::string& name, const std::string& ca_file, std::string& err);
  ~throwaway_ca();
  throwaway_ca(const throwaway_ca&) = delete;
  throwaway_ca& operator=(const throwaway_ca&) = delete;

  /// A server certificate with a new key for `names` (DNS names and IP address literals, the
  /// first is the common name), written to `<stem>-cert.pem` (leaf then CA) and `<stem>-key.pem`
  /// (mode 0600). False with `err` set on failure.
  bool issue(const std::vector<std::string>& names, const std::string& stem, issued_certificate& out,
             std::string& err) const;

  const std::string& ca_file() const { return ca_file_; }

private:
  struct keys;
  explicit throwaway_ca(std::unique_ptr<keys> k, std::string ca_file);
  std::unique_ptr<keys> keys_;
  std::string ca_file_;
};

} // namespace mpk::sim
