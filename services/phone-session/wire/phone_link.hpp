#pragma once
/// How the wire check reaches one phone: through a Devices passthrough URL, or directly at the
/// phone's own address with its admin user and password (HTTP Digest, docs/spec/phones.md §A.3).
/// A phone that asks with `WWW-Authenticate: Digest` gets the answer when credentials are set;
/// the nonce is kept for the following requests (nc counts up), a stale one is renewed once.

#include "common/net/connection.hpp"
#include "services/phone-session/wire/wire_judge.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace mpk::net {
class io_runtime;
}

namespace mpk::wire {

struct phone_link_options {
  std::string base_url;       ///< ".../passthrough/<hwId>/<key>/" or "http://10.0.0.12/"
  std::string user, password; ///< answered to a Digest challenge ("" = never)
  std::chrono::milliseconds timeout{5000};
  std::size_t max_body = 8 << 20;
  net::tls_client_options tls;
};

class phone_link : public std::enable_shared_from_this<phone_link> {
public:
  static std::shared_ptr<phone_link> make(net::io_runtime& rt, phone_link_options o);

  /// GET of a phone path (percent-encoded, starting with '/'). `done` is called once, on an
  /// Asio thread, with the answer (never quoting the base URL) and the milliseconds it took.
  virtual void get(const std::string& path, std::function<void(answer, double ms)> done) = 0;

  virtual ~phone_link() = default;
};

} // namespace mpk::wire
