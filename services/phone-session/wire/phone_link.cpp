#include "services/phone-session/wire/phone_link.hpp"

#include "common/crypto/http_digest.hpp"
#include "common/crypto/random.hpp"
#include "common/http/message.hpp"
#include "common/net/http_client.hpp"
#include "services/phone-session/wire/phone_url.hpp"

#include <mutex>
#include <optional>

namespace mpk::wire {

namespace {

namespace digest = crypto::http_digest;

std::string header(const net::header_fields& h, std::string_view name) {
  for (const auto& [k, v] : h)
    if (http::iequals(k, name)) return v;
  return {};
}

class http_phone_link final : public phone_link {
public:
  http_phone_link(net::io_runtime& rt, phone_link_options o) : rt_(rt), o_(std::move(o)) {}

  void get(const std::string& path, std::function<void(answer, double)> done) override {
    auto start = std::chrono::steady_clock::now();
    send(path, std::move(done), start, 0);
  }

private:
  /// `tries` counts the authorization rounds of this request (a fresh or stale nonce: one more).
  void send(const std::string& path, std::function<void(answer, double)> done,
            std::chrono::steady_clock::time_point start, int tries) {
    net::http_fetch_request req;
    req.url = join_url(o_.base_url, path);
    req.timeout = o_.timeout;
    req.max_body_bytes = o_.max_body;
    req.tls = o_.tls;
    if (auto auth = authorization(path)) req.headers.emplace_back("Authorization", *auth);
    auto self = std::static_pointer_cast<http_phone_link>(shared_from_this());
    net::fetch(
      rt_, std::move(req), [self, path, done = std::move(done), start, tries](net::http_fetch_result r) mutable {
        if (r.ok && r.status == 401 && tries < 2 && self->take_challenge(header(r.headers, "WWW-Authenticate")))
          return self->send(path, std::move(done), start, tries + 1);
        answer a;
        a.status = r.ok ? r.status : 0;
        a.content_type = std::move(r.content_type);
        a.body = std::move(r.body);
        if (!r.ok)
          a.error = without_secret(r.error.empty() ? std::string("no response") : r.error, self->o_.base_url);
        else if (r.status == 401)
          a.error = self->has_credentials() ? "the phone refused the admin password"
                                            : "the phone asks for its admin password (--user, --password)";
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        done(std::move(a), ms);
      });
  }

  bool has_credentials() const { return !o_.user.empty() && !o_.password.empty(); }

  /// Keeps a usable Digest challenge; false when there is none or no credentials to answer it.
  bool take_challenge(const std::string& www) {
    if (!has_credentials()) return false;
    auto c = digest::parse_challenge(www);
    if (!c) return false;
    std::lock_guard lock(mu_);
    challenge_ = std::move(*c);
    nc_ = 0;
    return true;
  }

  std::optional<std::string> authorization(const std::string& path) {
    std::lock_guard lock(mu_);
    if (!challenge_) return std::nullopt;
    // The uri of a Digest answer is the target the phone's own web server sees: the phone path
    // (a passthrough or a proxy in front of the phone strips its own prefix).
    const std::string& uri = path;
    return digest::authorization(*challenge_, o_.user, o_.password, "GET", uri, ++nc_, crypto::random_hex(8));
  }

  net::io_runtime& rt_;
  phone_link_options o_;
  std::mutex mu_;
  std::optional<digest::challenge> challenge_;
  std::uint32_t nc_ = 0;
};

} // namespace

std::shared_ptr<phone_link> phone_link::make(net::io_runtime& rt, phone_link_options o) {
  return std::make_shared<http_phone_link>(rt, std::move(o));
}

} // namespace mpk::wire
