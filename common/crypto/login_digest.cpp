#include "common/crypto/login_digest.hpp"

#include "common/crypto/constant_time.hpp"
#include "common/crypto/sha256.hpp"

namespace mpk::crypto {

namespace {

std::string digest_with(const login_fields& f, const std::string* info, std::string_view challenge,
                        std::string_view password) {
  std::string s;
  s.reserve(f.app.size() + f.domain.size() + f.sip.size() + f.guid.size() + f.dn.size() +
            (info ? info->size() + 1 : 0) + challenge.size() + password.size() + 8);
  s.append(f.app).append(1, ':');
  s.append(f.domain).append(1, ':');
  s.append(f.sip).append(1, ':');
  s.append(f.guid).append(1, ':');
  s.append(f.dn).append(1, ':');
  if (info) s.append(*info).append(1, ':');
  s.append(challenge).append(1, ':');
  s.append(password);
  return sha256_hex(s);
}

} // namespace

std::string login_digest(const login_fields& f, std::string_view challenge, std::string_view password) {
  const std::string* info = f.info && !f.info->empty() ? &*f.info : nullptr;
  return digest_with(f, info, challenge, password);
}

bool verify_login_digest(const login_fields& f_without_info, const std::optional<std::string>& raw_info,
                         std::string_view challenge, std::string_view password, std::string_view digest) {
  bool ok = false;
  std::string compact = raw_info ? compact_json(*raw_info) : std::string();
  // The SDK tutorial treats an empty info string as absent.
  if (compact.empty() || compact == "\"\"") {
    ok = digest_equal(digest_with(f_without_info, nullptr, challenge, password), digest);
    return ok;
  }
  // Evaluate both candidates every time: which form matched must not show in the timing.
  ok |= digest_equal(digest_with(f_without_info, &compact, challenge, password), digest);
  if (auto canonical = canonical_json(*raw_info))
    ok |= digest_equal(digest_with(f_without_info, &*canonical, challenge, password), digest);
  return ok;
}

bool verify_check_login_digest(std::string_view app, std::string_view domain, std::string_view challenge,
                               std::string_view password, std::string_view digest) {
  login_fields with_domain{std::string(app), std::string(domain), {}, {}, {}, std::nullopt};
  login_fields without_domain{std::string(app), {}, {}, {}, {}, std::nullopt};
  bool ok = digest_equal(digest_with(with_domain, nullptr, challenge, password), digest);
  ok |= digest_equal(digest_with(without_domain, nullptr, challenge, password), digest);
  return ok;
}

} // namespace mpk::crypto
