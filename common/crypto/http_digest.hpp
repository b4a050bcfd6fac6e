#pragma once
/// HTTP Digest authentication (RFC 7616, with the RFC 2617 forms phones still send): the client
/// side answers a `WWW-Authenticate: Digest …` challenge, the server side issues challenges and
/// checks `Authorization: Digest …` answers. A phone's own web server asks its admin user this
/// way when it is reached directly rather than through the Devices passthrough
/// (docs/spec/phones.md §A.3: webdial talks Digest to innovaphone phones).
///
/// Algorithms MD5 and SHA-256 (each also as "-sess"), qop "auth" or none. Nonces of the server
/// side are stateless: a time stamp sealed with a per-process secret, so any thread may check
/// them and a restarted server only makes old nonces stale.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::crypto::http_digest {

/// `name=value` pairs of an auth header after the scheme, values unquoted.
using params = std::vector<std::pair<std::string, std::string>>;

/// The parameters after "Digest " in a header value; nullopt if the scheme is not Digest or the
/// list is malformed (unbalanced quotes, missing '=').
std::optional<params> parse_params(std::string_view header_value);

/// Value of a parameter (name compared case-insensitively), or nullopt.
std::optional<std::string> param(const params& p, std::string_view name);

struct challenge {
  std::string realm, nonce, opaque;
  std::string algorithm = "MD5"; ///< MD5, MD5-sess, SHA-256, SHA-256-sess
  bool qop_auth = false;         ///< the server offers qop=auth (else the RFC 2069 form)
  bool stale = false;            ///< the nonce expired; the same credentials may be sent again
};

/// The first Digest challenge of a WWW-Authenticate value; nullopt without one, or when it asks
/// for an algorithm or qop this side cannot answer (only auth-int offered).
std::optional<challenge> parse_challenge(std::string_view www_authenticate);

/// The Authorization header value answering `c` for one request. `nc` counts the requests made
/// with this nonce (1 for the first); `cnonce` is the client's random value.
std::string authorization(const challenge& c, std::string_view user, std::string_view password, std::string_view method,
                          std::string_view uri, std::uint32_t nc, std::string_view cnonce);

/// "Basic <base64(user:password)>" (RFC 7617), for a server that asks for Basic instead.
std::string basic_authorization(std::string_view user, std::string_view password);

/// Server side: one realm, one user and its password.
class server {
public:
  using clock = std::chrono::system_clock;

  /// Which `uri` an answer may name: only the request target (RFC 2617 §3.2.2.5 asks the server
  /// to make sure both designate one resource), or any, the digest then covering the one named
  /// (a server that does not compare: an answer computed behind a path-prefix relay passes).
  enum class uri_rule { exact, as_named };

  server(std::string realm, std::string user, std::string password,
         std::chrono::seconds nonce_lifetime = std::chrono::seconds(300), uri_rule rule = uri_rule::exact);

  enum class verdict { ok, missing, malformed, wrong_user, wrong_response, stale_nonce };

  /// Checks an Authorization header value of a request. `uri` is the request target as
  /// received; the `uri` parameter must name it (uri_rule::exact).
  verdict check(std::string_view method, std::string_view uri, std::string_view authorization) const;

  /// The WWW-Authenticate value of a 401 (a fresh nonce; `stale` after verdict::stale_nonce).
  std::string challenge_header(bool stale = false) const;

  const std::string& realm() const { return realm_; }

private:
  std::string make_nonce(clock::time_point t) const;
  /// True for a nonce this server made; `fresh` says whether it is still within its lifetime.
  bool nonce_ok(std::string_view nonce, bool& fresh) const;

  std::string realm_, user_, password_, secret_, opaque_;
  std::chrono::seconds lifetime_;
  uri_rule rule_;
};

/// Plain words for a verdict (logs, 401 bodies).
std::string_view to_string(server::verdict v);

} // namespace mpk::crypto::http_digest
