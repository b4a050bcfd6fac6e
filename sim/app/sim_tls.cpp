#include "sim/app/sim_tls.hpp"

#include "common/base/config.hpp"
#include "common/base/log.hpp"
#include "common/json/writer.hpp"

#include <cstdlib>
#include <filesystem>

namespace mpk::sim {

void sim_tls::declare(config::settings& s, const std::string& pre) {
  s.add(pre + "tls", "false",
        "serve https/wss like an App Platform, with a certificate from a throw-away CA made at start (or tls-cert)");
  s.add(pre + "tls-dir", "",
        "where the throw-away CA writes ca.pem, sim-cert.pem/-key.pem and product-cert.pem/-key.pem (empty: a new "
        "temporary directory)");
  s.add(
    pre + "tls-names", "",
    "DNS names and addresses of the simulator's certificate, comma separated (default: host, localhost, 127.0.0.1)");
  s.add(pre + "tls-cert", "", "PEM certificate chain of the simulator's port instead of a throw-away one");
  s.add(pre + "tls-key", "", "PEM private key for tls-cert");
  s.add(pre + "tls-trust", "",
        "CA file the simulated PBXs and phones trust when they connect out (default: the throw-away CA)");
}

sim_tls::~sim_tls() {
  std::error_code ec;
  if (made_dir_) std::filesystem::remove_all(dir_, ec);
}

bool sim_tls::start(const config::settings& s, const std::string& pre, const std::string& host, std::string& err) {
  on_ = s.get_bool(pre + "tls");
  if (!on_) return true;
  trust_ = s.get(pre + "tls-trust");
  if (!s.get(pre + "tls-cert").empty()) {
    served_.cert_file = s.get(pre + "tls-cert");
    served_.key_file = s.get(pre + "tls-key");
    return describe_certificate(served_, err);
  }
  dir_ = s.get(pre + "tls-dir");
  std::error_code ec;
  if (dir_.empty()) {
    auto pattern = (std::filesystem::temp_directory_path() / "mpk-sim-tls-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) return err = "cannot make a directory for the throw-away CA", false;
    dir_ = pattern;
    made_dir_ = true;
  } else if (std::filesystem::create_directories(dir_, ec); ec) {
    return err = "tls-dir " + dir_ + ": " + ec.message(), false;
  }
  names_ = s.get_list(pre + "tls-names");
  if (names_.empty()) {
    names_ = {host, "localhost", "127.0.0.1"};
    if (host == "localhost" || host == "127.0.0.1") names_.erase(names_.begin());
  }
  ca_ = throwaway_ca::create("myPhoneKeys simulator CA", dir_ + "/ca.pem", err);
  if (!ca_) return false;
  if (!ca_->issue(names_, dir_ + "/sim", served_, err)) return false;
  if (!ca_->issue({"localhost", "127.0.0.1"}, dir_ + "/product", product_, err)) return false;
  MPK_INFO("mpk-sim", "TLS: throw-away CA ", ca_->ca_file(), ", serving ", served_.subject, " (SHA-256 ",
           served_.fingerprint, ")");
  return true;
}

net::tls_client_options sim_tls::client_options() const {
  net::tls_client_options o;
  o.ca_file = trust_.empty() ? ca_file() : trust_;
  return o;
}

bool sim_tls::renew(std::string& err) {
  if (!ca_) return describe_certificate(served_, err); // given files: whoever gave them has written new ones
  return ca_->issue(names_, dir_ + "/sim", served_, err);
}

std::string sim_tls::state_json() const {
  json::json_writer w;
  w.begin_object().member("on", on_).member("caFile", ca_ ? ca_file() : trust_).member("certFile", served_.cert_file);
  w.member("subject", served_.subject).member("fingerprint", served_.fingerprint);
  w.member("pin", served_.fingerprint.empty() ? std::string() : "sha256/" + served_.fingerprint);
  w.member("productCert", product_.cert_file).member("productKey", product_.key_file).end_object();
  return w.take();
}

} // namespace mpk::sim
