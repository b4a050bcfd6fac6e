#include "common/net/detail/peer_check.hpp"

#include "common/crypto/hex.hpp"
#include "common/net/cert_text.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace mpk::net::detail {

namespace {

std::string subject_of(X509* cert) {
  if (!cert) return "(no certificate)";
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  auto n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string("(empty subject)");
}

std::string sha256_hex(X509* cert) {
  if (!cert) return {};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!X509_digest(cert, EVP_sha256(), md, &n)) return {};
  return crypto::to_hex(std::string_view(reinterpret_cast<const char*>(md), n));
}

/// "<what>: <subject>, SHA-256 fingerprint <AB:CD:…>" about the peer's own (leaf) certificate.
std::string about(std::string_view what, X509* leaf) {
  return std::string(what) + ": " + subject_of(leaf) + ", " + std::string(cert_failure::fingerprint_label) +
         fingerprint_display(sha256_hex(leaf));
}

/// The verify callback: called by OpenSSL once per certificate of the chain, root first.
struct peer_check {
  std::string host, pin;
  std::shared_ptr<std::string> failure;

  bool operator()(bool preverified, asio::ssl::verify_context& vc) {
    auto* store = vc.native_handle();
    X509* leaf = X509_STORE_CTX_get0_cert(store); // the peer's own certificate at every depth
    if (!pin.empty()) {
      if (sha256_hex(leaf) == pin) return true;
      *failure = about(cert_failure::pin_mismatch, leaf) + " (pinned " + fingerprint_display(pin) + ")";
      return false;
    }
    if (!preverified) {
      *failure = about(cert_failure::not_trusted, leaf) + " (" +
                 X509_verify_cert_error_string(X509_STORE_CTX_get_error(store)) + ")";
      return false;
    }
    if (X509_STORE_CTX_get_error_depth(store) > 0) return true;
    if (asio::ssl::host_name_verification(host)(preverified, vc)) return true;
    *failure = about(std::string(cert_failure::wrong_host) + " " + host, leaf);
    return false;
  }
};

} // namespace

void check_peer(beast::ssl_stream<beast::tcp_stream>& stream, const std::string& host, const tls_client_options& opts,
                std::shared_ptr<std::string> failure) {
  // The lab switch verifies nothing, unless a pin names the one certificate to accept.
  if (opts.insecure && opts.pin.empty()) return;
  stream.set_verify_mode(asio::ssl::verify_peer);
  stream.set_verify_callback(peer_check{host, opts.pin, std::move(failure)});
}

std::string handshake_failure(const std::string& context, const std::string& failure, const error_code& ec) {
  return context + ": " + (failure.empty() ? describe(ec) : failure);
}

} // namespace mpk::net::detail
