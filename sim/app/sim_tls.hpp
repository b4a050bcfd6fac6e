#pragma once
/// The simulator's TLS, as an App Platform runs it: https/wss on the simulator's one port with a
/// certificate from a throw-away CA made at start (or one given), and what the simulated PBXs and
/// phones trust when they connect out over wss.

#include "common/net/connection.hpp"
#include "sim/tls/throwaway_ca.hpp"

#include <memory>
#include <string>
#include <vector>

namespace mpk::config {
class settings;
}

namespace mpk::sim {

class sim_tls {
public:
  /// Declares tls, tls-dir, tls-names, tls-cert, tls-key and tls-trust (each after `pre`).
  static void declare(config::settings& s, const std::string& pre);
  sim_tls() = default;
  ~sim_tls();
  sim_tls(const sim_tls&) = delete;
  sim_tls& operator=(const sim_tls&) = delete;

  /// Off, a given certificate pair, or a throw-away CA in tls-dir (a new temporary directory when
  /// empty) with the simulator's certificate for tls-names (default: `host`, localhost,
  /// 127.0.0.1) and one for the product (localhost, 127.0.0.1: the demo's gateway).
  bool start(const config::settings& s, const std::string& pre, const std::string& host, std::string& err);

  bool on() const { return on_; }
  /// PEM files of the simulator's port (empty when off).
  const std::string& cert_file() const { return served_.cert_file; }
  const std::string& key_file() const { return served_.key_file; }
  /// The throw-away CA's certificate ("" when a certificate was given and no CA made).
  std::string ca_file() const { return ca_ ? ca_->ca_file() : std::string(); }
  /// The product's certificate from the same CA (the demo's gateway.tls-cert/-key), "" when none.
  const issued_certificate& product() const { return product_; }
  const issued_certificate& served() const { return served_; }
  /// What the simulator's own clients (PBX links, phones) trust: tls-trust, else the CA.
  net::tls_client_options client_options() const;

  /// A new key and certificate for the simulator's names, from the same CA, written over the old
  /// files (the caller reloads the port); with given files nothing (they were replaced outside).
  bool renew(std::string& err);
  /// {"on":..,"caFile":..,"subject":..,"fingerprint":..,"pin":"sha256/.."} for /control/tls.
  std::string state_json() const;

private:
  bool on_ = false;
  bool made_dir_ = false; ///< tls-dir was a new temporary directory: removed with this object
  std::string dir_, trust_;
  std::vector<std::string> names_;
  std::unique_ptr<throwaway_ca> ca_;
  issued_certificate served_, product_;
};

} // namespace mpk::sim
