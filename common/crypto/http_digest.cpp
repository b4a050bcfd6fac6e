#include "common/crypto/http_digest.hpp"

#include "common/crypto/constant_time.hpp"
#include "common/crypto/hex.hpp"
#include "common/crypto/random.hpp"
#include "common/crypto/sha256.hpp"

#include <openssl/evp.h>

#include <cctype>

namespace mpk::crypto::http_digest {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

bool is_token_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7F && c != ',' && c != '=' && c != '"' && c != ';';
}

std::string digest_hex(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) return {};
  return to_hex(std::string_view(reinterpret_cast<const char*>(out), len));
}

/// The hash of an algorithm name; nullptr for one we do not speak.
const EVP_MD* hash_of(std::string_view algorithm, bool& sess) {
  sess = false;
  std::string_view base = algorithm;
  constexpr std::string_view suffix = "-sess";
  if (base.size() > suffix.size() && iequal(base.substr(base.size() - suffix.size()), suffix)) {
    sess = true;
    base = base.substr(0, base.size() - suffix.size());
  }
  if (base.empty() || iequal(base, "MD5")) return EVP_md5();
  if (iequal(base, "SHA-256")) return EVP_sha256();
  return nullptr;
}

/// The response value of RFC 7616 §3.4.1 (qop empty: the RFC 2069 form).
std::string response_value(const EVP_MD* md, bool sess, std::string_view user, std::string_view realm,
                           std::string_view password, std::string_view method, std::string_view uri,
                           std::string_view nonce, std::string_view nc, std::string_view cnonce, std::string_view qop) {
  auto cat = [](std::initializer_list<std::string_view> parts) {
    std::string s;
    bool first = true;
    for (auto p : parts) {
      if (!first) s += ':';
      s += p;
      first = false;
    }
    return s;
  };
  std::string ha1 = digest_hex(md, cat({user, realm, password}));
  if (sess) ha1 = digest_hex(md, cat({ha1, nonce, cnonce}));
  std::string ha2 = digest_hex(md, cat({method, uri}));
  if (qop.empty()) return digest_hex(md, cat({ha1, nonce, ha2}));
  return digest_hex(md, cat({ha1, nonce, nc, cnonce, qop, ha2}));
}

std::string quoted(std::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string hex8(std::uint32_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = digits[v & 0xF];
  return s;
}

} // namespace

std::optional<params> parse_params(std::string_view v) {
  std::size_t i = 0;
  while (i < v.size() && is_space(v[i])) ++i;
  constexpr std::string_view scheme = "Digest";
  if (v.size() - i < scheme.size() || !iequal(v.substr(i, scheme.size()), scheme)) return std::nullopt;
  i += scheme.size();
  if (i < v.size() && !is_space(v[i])) return std::nullopt;
  params out;
  while (true) {
    while (i < v.size() && (is_space(v[i]) || v[i] == ',')) ++i;
    if (i >= v.size()) break;
    std::size_t start = i;
    while (i < v.size() && is_token_char(v[i])) ++i;
    std::string name(v.substr(start, i - start));
    std::size_t after_name = i;
    while (i < v.size() && is_space(v[i])) ++i;
    if (name.empty()) return std::nullopt;
    if (i >= v.size() || v[i] != '=') {
      // "…, Basic realm=…": the next scheme of a WWW-Authenticate list starts here.
      if (after_name < v.size() && is_space(v[after_name]) && !out.empty()) break;
      return std::nullopt;
    }
    ++i;
    while (i < v.size() && is_space(v[i])) ++i;
    std::string value;
    if (i < v.size() && v[i] == '"') {
      ++i;
      bool closed = false;
      while (i < v.size()) {
        char c = v[i++];
        if (c == '\\' && i < v.size()) {
          value += v[i++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return std::nullopt;
    } else {
      std::size_t vs = i;
      while (i < v.size() && is_token_char(v[i])) ++i;
      value = std::string(v.substr(vs, i - vs));
    }
    out.emplace_back(std::move(name), std::move(value));
    while (i < v.size() && is_space(v[i])) ++i;
    if (i < v.size() && v[i] != ',') return std::nullopt;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> param(const params& p, std::string_view name) {
  for (const auto& [n, v] : p)
    if (iequal(n, name)) return v;
  return std::nullopt;
}

std::optional<challenge> parse_challenge(std::string_view www) {
  // A WWW-Authenticate value may list several schemes ("Basic realm=…, Digest realm=…").
  std::size_t at = std::string_view::npos;
  for (std::size_t i = 0; i + 6 <= www.size(); ++i) {
    bool boundary = i == 0 || is_space(www[i - 1]) || www[i - 1] == ',';
    if (boundary && iequal(www.substr(i, 6), "Digest") && (i + 6 == www.size() || is_space(www[i + 6]))) {
      at = i;
      break;
    }
  }
  if (at == std::string_view::npos) return std::nullopt;
  auto p = parse_params(www.substr(at));
  if (!p) return std::nullopt;
  challenge c;
  auto realm = param(*p, "realm");
  auto nonce = param(*p, "nonce");
  if (!realm || !nonce || nonce->empty()) return std::nullopt;
  c.realm = *realm;
  c.nonce = *nonce;
  c.opaque = param(*p, "opaque").value_or("");
  c.algorithm = param(*p, "algorithm").value_or("MD5");
  bool sess = false;
  if (!hash_of(c.algorithm, sess)) return std::nullopt;
  if (auto stale = param(*p, "stale")) c.stale = iequal(*stale, "true");
  if (auto qop = param(*p, "qop")) {
    std::string_view q = *qop;
    while (!q.empty()) {
      auto comma = q.find(',');
      auto item = q.substr(0, comma);
      while (!item.empty() && is_space(item.front())) item.remove_prefix(1);
      while (!item.empty() && is_space(item.back())) item.remove_suffix(1);
      if (iequal(item, "auth")) c.qop_auth = true;
      q = comma == std::string_view::npos ? std::string_view{} : q.substr(comma + 1);
    }
    if (!c.qop_auth) return std::nullopt; // only auth-int: we do not hash bodies
  }
  return c;
}

std::string authorization(const challenge& c, std::string_view user, std::string_view password, std::string_view method,
                          std::string_view uri, std::uint32_t nc, std::string_view cnonce) {
  bool sess = false;
  const EVP_MD* md = hash_of(c.algorithm, sess);
  if (!md) md = EVP_md5();
  std::string ncs = hex8(nc);
  std::string qop = c.qop_auth ? "auth" : "";
  auto resp = response_value(md, sess, user, c.realm, password, method, uri, c.nonce, ncs, cnonce, qop);
  std::string h = "Digest username=" + quoted(user) + ", realm=" + quoted(c.realm) + ", nonce=" + quoted(c.nonce) +
                  ", uri=" + quoted(uri) + ", algorithm=" + c.algorithm;
  if (c.qop_auth) h += ", qop=auth, nc=" + ncs + ", cnonce=" + quoted(cnonce);
  h += ", response=" + quoted(resp);
  if (!c.opaque.empty()) h += ", opaque=" + quoted(c.opaque);
  return h;
}

std::string basic_authorization(std::string_view user, std::string_view password) {
  std::string plain = std::string(user) + ":" + std::string(password);
  std::string out(4 * ((plain.size() + 2) / 3) + 1, '\0');
  auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                           reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
  out.resize(static_cast<std::size_t>(n));
  return "Basic " + out;
}

// -- server side -------------------------------------------------------------------------

server::server(std::string realm, std::string user, std::string password, std::chrono::seconds nonce_lifetime,
               uri_rule rule)
    : realm_(std::move(realm)),
      user_(std::move(user)),
      password_(std::move(password)),
      secret_(random_hex(16)),
      opaque_(random_hex(8)),
      lifetime_(nonce_lifetime),
      rule_(rule) {}

std::string server::make_nonce(clock::time_point t) const {
  auto secs =
    static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
  std::string stamp = hex8(static_cast<std::uint32_t>(secs >> 32)) + hex8(static_cast<std::uint32_t>(secs));
  return stamp + sha256_hex(secret_ + ":" + stamp).substr(0, 32);
}

bool server::nonce_ok(std::string_view nonce, bool& fresh) const {
  fresh = false;
  if (nonce.size() != 48) return false;
  auto stamp = nonce.substr(0, 16);
  if (!digest_equal(nonce.substr(16), sha256_hex(secret_ + ":" + std::string(stamp)).substr(0, 32))) return false;
  auto raw = from_hex(stamp);
  if (!raw) return false;
  std::uint64_t secs = 0;
  for (unsigned char b : *raw) secs = (secs << 8) | b;
  auto made = clock::time_point(std::chrono::seconds(secs));
  auto now = clock::now();
  fresh = made <= now + std::chrono::seconds(5) && now - made <= lifetime_;
  return true;
}

std::string server::challenge_header(bool stale) const {
  std::string h = "Digest realm=" + quoted(realm_) +
                  ", qop=\"auth\", algorithm=MD5, nonce=" + quoted(make_nonce(clock::now())) +
                  ", opaque=" + quoted(opaque_);
  if (stale) h += ", stale=true";
  return h;
}

server::verdict server::check(std::string_view method, std::string_view uri, std::string_view auth) const {
  if (auth.empty()) return verdict::missing;
  auto p = parse_params(auth);
  if (!p) return verdict::malformed;
  auto user = param(*p, "username"), realm = param(*p, "realm"), nonce = param(*p, "nonce"), duri = param(*p, "uri"),
       resp = param(*p, "response");
  if (!user || !realm || !nonce || !duri || !resp || *realm != realm_ || (rule_ == uri_rule::exact && *duri != uri))
    return verdict::malformed;
  bool sess = false;
  const EVP_MD* md = hash_of(param(*p, "algorithm").value_or("MD5"), sess);
  if (!md) return verdict::malformed;
  auto qop = param(*p, "qop").value_or("");
  auto nc = param(*p, "nc").value_or(""), cnonce = param(*p, "cnonce").value_or("");
  if (!qop.empty() && (qop != "auth" || nc.size() != 8 || cnonce.empty())) return verdict::malformed;
  if (*user != user_) return verdict::wrong_user;
  auto expected = response_value(md, sess, *user, realm_, password_, method, rule_ == uri_rule::exact ? uri : *duri,
                                 *nonce, nc, cnonce, qop);
  if (!digest_equal(*resp, expected)) return verdict::wrong_response;
  bool fresh = false;
  // A right answer to an old or foreign nonce (a restarted server): the client may simply retry.
  if (!nonce_ok(*nonce, fresh) || !fresh) return verdict::stale_nonce;
  return verdict::ok;
}

std::string_view to_string(server::verdict v) {
  switch (v) {
    case server::verdict::ok: return "ok";
    case server::verdict::missing: return "no credentials";
    case server::verdict::malformed: return "malformed Digest credentials";
    case server::verdict::wrong_user: return "unknown user";
    case server::verdict::wrong_response: return "wrong password";
    case server::verdict::stale_nonce: return "stale nonce";
  }
  return "malformed Digest credentials";
}

} // namespace mpk::crypto::http_digest
