#include "sim/tls/throwaway_ca.hpp"

#include "common/crypto/hex.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <cstdio>
#include <functional>
#include <string_view>

namespace mpk::sim {

namespace {

constexpr long validity_seconds = 30L * 24 * 3600;

struct free_pkey {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct free_x509 {
  void operator()(X509* p) const { X509_free(p); }
};
struct free_bio {
  void operator()(BIO* p) const { BIO_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, free_pkey>;
using x509_ptr = std::unique_ptr<X509, free_x509>;
using bio_ptr = std::unique_ptr<BIO, free_bio>;

std::string openssl_error(std::string_view what) {
  char buf[256] = "unknown error";
  if (auto e = ERR_get_error()) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return std::string(what) + ": " + buf;
}

pkey_ptr new_key() { return pkey_ptr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")); }

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

/// An unsigned certificate for `key` named `cn` (random serial, valid from an hour ago).
x509_ptr new_certificate(EVP_PKEY* key, const std::string& cn) {
  x509_ptr cert(X509_new());
  if (!cert) return nullptr;
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f; // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  bool ok = X509_set_version(cert.get(), 2) == 1 && bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  ok = ok && X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) &&
       X509_gmtime_adj(X509_getm_notAfter(cert.get()), validity_seconds) && X509_set_pubkey(cert.get(), key) == 1 &&
       X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_UTF8,
                                  reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0) == 1;
  return ok ? std::move(cert) : nullptr;
}

bool looks_like_address(const std::string& name) {
  return name.find_first_not_of("0123456789.") == std::string::npos || name.find(':') != std::string::npos;
}

bool write_pem(const std::string& path, bool secret, const std::function<bool(BIO*)>& body, std::string& err) {
  bio_ptr bio(BIO_new_file(path.c_str(), "w"));
  if (!bio) {
    err = "cannot write " + path;
    return false;
  }
  if (secret) ::chmod(path.c_str(), 0600);
  if (!body(bio.get())) {
    err = openssl_error("cannot write " + path);
    return false;
  }
  return true;
}

std::string subject_of(X509* cert) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  auto n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n > 0 ? n : 0));
}

std::string fingerprint_of(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha256(), md, &n);
  return crypto::to_hex(std::string_view(reinterpret_cast<const char*>(md), n));
}

} // namespace

bool describe_certificate(issued_certificate& out, std::string& err) {
  bio_ptr bio(BIO_new_file(out.cert_file.c_str(), "r"));
  x509_ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) return err = openssl_error("no certificate in " + out.cert_file), false;
  out.subject = subject_of(cert.get());
  out.fingerprint = fingerprint_of(cert.get());
  return true;
}

struct throwaway_ca::keys {
  pkey_ptr key;
  x509_ptr cert;
};

throwaway_ca::throwaway_ca(std::unique_ptr<keys> k, std::string ca_file)
    : keys_(std::move(k)), ca_file_(std::move(ca_file)) {}
throwaway_ca::~throwaway_ca() = default;

std::unique_ptr<throwaway_ca> throwaway_ca::create(const std::string& name, const std::string& ca_file,
                                                   std::string& err) {
  auto k = std::make_unique<keys>();
  k->key = new_key();
  if (!k->key) return err = openssl_error("CA key"), nullptr;
  k->cert = new_certificate(k->key.get(), name);
  X509* c = k->cert.get();
  bool ok = c && X509_set_issuer_name(c, X509_get_subject_name(c)) == 1 &&
            add_extension(c, c, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
            add_extension(c, c, NID_key_usage, "critical,keyCertSign,cRLSign") &&
            add_extension(c, c, NID_subject_key_identifier, "hash") && X509_sign(c, k->key.get(), EVP_sha256()) > 0;
  if (!ok) return err = openssl_error("CA certificate"), nullptr;
  if (!write_pem(
        ca_file, false, [&](BIO* b) { return PEM_write_bio_X509(b, c) == 1; }, err))
    return nullptr;
  return std::unique_ptr<throwaway_ca>(new throwaway_ca(std::move(k), ca_file));
}

bool throwaway_ca::issue(const std::vector<std::string>& names, const std::string& stem, issued_certificate& out,
                         std::string& err) const {
  if (names.empty()) return err = "a certificate needs at least one name", false;
  auto key = new_key();
  if (!key) return err = openssl_error("server key"), false;
  auto cert = new_certificate(key.get(), names.front());
  std::string alt;
  for (auto& n : names) alt += (alt.empty() ? "" : ",") + std::string(looks_like_address(n) ? "IP:" : "DNS:") + n;
  X509* c = cert.get();
  X509* ca = keys_->cert.get();
  bool ok = c && X509_set_issuer_name(c, X509_get_subject_name(ca)) == 1 &&
            add_extension(c, ca, NID_basic_constraints, "critical,CA:FALSE") &&
            add_extension(c, ca, NID_key_usage, "critical,digitalSignature") &&
            add_extension(c, ca, NID_ext_key_usage, "serverAuth") && add_extension(c, ca, NID_subject_alt_name, alt) &&
            add_extension(c, ca, NID_authority_key_identifier, "keyid:always") &&
            X509_sign(c, keys_->key.get(), EVP_sha256()) > 0;
  if (!ok) return err = openssl_error("server certificate for " + names.front()), false;
  out.cert_file = stem + "-cert.pem";
  out.key_file = stem + "-key.pem";
  out.subject = subject_of(c);
  out.fingerprint = fingerprint_of(c);
  // Written under new names, then renamed: a server reloading meanwhile reads the old pair or the new one.
  auto cert_tmp = out.cert_file + ".new", key_tmp = out.key_file + ".new";
  if (!write_pem(
        key_tmp, true,
        [&](BIO* b) { return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1; },
        err))
    return false;
  if (!write_pem(
        cert_tmp, false, [&](BIO* b) { return PEM_write_bio_X509(b, c) == 1 && PEM_write_bio_X509(b, ca) == 1; }, err))
    return false;
  if (std::rename(key_tmp.c_str(), out.key_file.c_str()) != 0 ||
      std::rename(cert_tmp.c_str(), out.cert_file.c_str()) != 0)
    return err = "cannot rename the new certificate files under " + stem, false;
  return true;
}

} // namespace mpk::sim
