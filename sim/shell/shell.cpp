#include "sim/shell/shell.hpp"

#include "common/crypto/random.hpp"
#include "common/json/writer.hpp"
#include "sim/pbx/pbx_logins.hpp"
#include "sim/shell/query.hpp"
#include "sim/shell/shell_page.hpp"

namespace mpk::sim {

namespace {

/// True for "/shell", "/shell/..." and "/shell?..." (not "/shellfish").
bool is_shell_target(std::string_view target) {
  constexpr std::string_view prefix = "/shell";
  if (target.substr(0, prefix.size()) != prefix) return false;
  return target.size() == prefix.size() || target[prefix.size()] == '/' || target[prefix.size()] == '?' ||
         target[prefix.size()] == '#';
}

/// Login data and pages are per request: never cached.
net::http_reply no_store(net::http_reply r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

net::http_reply html(int status, std::string body) {
  net::http_reply r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  return no_store(std::move(r));
}

net::http_reply login_error(int status, std::string_view error, std::string_view text) {
  json::json_writer w;
  w.begin_object().member("mt", "AppGetLoginResult").member("error", error).member("errorText", text).end_object();
  return no_store(net::http_reply::json(status, w.take()));
}

std::shared_ptr<pbx_sim> find_pbx(const std::vector<std::shared_ptr<pbx_sim>>& pbxs, std::string_view system_name) {
  for (const auto& p : pbxs)
    if (p && !system_name.empty() && p->config().system_name == system_name) return p;
  return nullptr;
}

net::http_reply login(const shell_target& t, const std::vector<std::shared_ptr<pbx_sim>>& pbxs) {
  auto pbx = find_pbx(pbxs, t.param("pbx"));
  if (!pbx) return login_error(404, "unknown pbx", "no PBX with this system name in the simulation");
  auto issued =
    app_get_login_result(pbx->config(), t.param("user"), t.param("app"), t.param("challenge"), crypto::random_hex(8));
  int status = issued.error.empty() ? 200 : issued.error == "unknown user" ? 404 : 400;
  return no_store(net::http_reply::json(status, std::move(issued.json)));
}

net::http_reply page(const shell_target& t, const std::vector<std::shared_ptr<pbx_sim>>& pbxs) {
  auto pbx_name = t.param("pbx");
  auto user_sip = t.param("user");
  std::vector<shell_tenant> tenants;
  if (pbx_name.empty() && user_sip.empty()) {
    for (const auto& p : pbxs)
      if (p) tenants.push_back({&p->config(), p->state()});
    return html(200, render_index(tenants));
  }
  auto pbx = find_pbx(pbxs, pbx_name);
  if (!pbx) return html(404, render_error_page("Unknown PBX", "No PBX with this system name is simulated here."));
  if (user_sip.empty()) return html(200, render_index({{&pbx->config(), pbx->state()}}));
  const pbx_user* user = find_user(pbx->config(), user_sip);
  if (!user) return html(404, render_error_page("Unknown user", "This user is not configured on that PBX."));
  return html(200, render_app_page(pbx->config(), *user));
}

} // namespace

std::optional<net::http_reply> shell_http(const net::http_request_info& req,
                                          const std::vector<std::shared_ptr<pbx_sim>>& pbxs) {
  if (!is_shell_target(req.target)) return std::nullopt;
  if (req.method != "GET" && req.method != "HEAD") {
    auto r = net::http_reply::text(405, "the shell only answers GET\n");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  auto t = parse_shell_target(req.target);
  if (!t) return net::http_reply::text(400, "bad request target\n");
  if (t->path == "/shell" || t->path == "/shell/") return page(*t, pbxs);
  if (t->path == "/shell/login") return login(*t, pbxs);
  return net::http_reply::text(404, "no such shell page\n");
}

} // namespace mpk::sim
