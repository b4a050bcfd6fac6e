#include "sim/shell/shell_page.hpp"

#include "common/json/writer.hpp"
#include "sim/shell/query.hpp"

namespace mpk::sim {

namespace {

constexpr std::string_view style = R"(<style>
html,body{margin:0;height:100%;font:14px/1.4 system-ui,sans-serif;color:#1d2327}
body{display:flex;flex-direction:column}
header{display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center;padding:6px 12px;background:#263238;color:#eceff1}
header a{color:#b3e5fc}
header .brand{font-weight:600}
header .status{margin-left:auto;opacity:.85}
main{padding:12px 20px}
iframe{flex:1;width:100%;border:0;display:block}
.tag{font-size:12px;padding:0 6px;border-radius:8px;background:#ffe0b2;color:#5d4037}
</style>)";

/// JSON for inside a <script> element: "</script>" and "<!--" must not appear in it.
std::string script_json(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out.push_back(c);
  }
  return out;
}

std::string head(std::string_view title) {
  std::string s =
    "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  s += html_escape(title);
  s += "</title>\n";
  s += style;
  s += "\n</head>\n";
  return s;
}

// The relay of the shell page. It accepts messages only from the app's origin, mirrors the
// encoding it got (the SDK posts JSON strings; objects are accepted too) and answers the
// asking window with targetOrigin = the app's origin, so a login never reaches another page.
constexpr std::string_view relay_script = R"(<script>
(() => {
  const cfg = JSON.parse(document.getElementById('shell-config').textContent);
  const frame = document.getElementById('app');
  const status = document.getElementById('status');
  const appOrigin = new URL(frame.getAttribute('src'), location.href).origin;
  document.getElementById('user').addEventListener('change', (e) => {
    location.search = '?' + new URLSearchParams({ pbx: cfg.pbx, user: e.target.value }).toString();
  });
  // Logging out of myApps closes its apps: the app's page, and with it its websocket, goes.
  document.getElementById('logout').addEventListener('click', () => {
    frame.remove();
    status.textContent = 'logged out';
  });
  window.addEventListener('message', async (e) => {
    if (e.origin !== appOrigin || !e.source) return;
    const asString = typeof e.data === 'string';
    let msg = e.data;
    if (asString) { try { msg = JSON.parse(e.data); } catch (_) { return; } }
    if (!msg || typeof msg !== 'object') return;
    if (msg.mt === 'loginResult') {
      status.textContent = msg.ok ? 'logged in as ' + cfg.user : 'login refused by the app';
      return;
    }
    if (msg.mt !== 'getLogin') return;
    status.textContent = 'login requested';
    let result;
    try {
      const q = new URLSearchParams({ pbx: cfg.pbx, user: cfg.user, app: String(msg.app ?? ''),
                                      challenge: String(msg.challenge ?? '') });
      const r = await fetch('/shell/login?' + q.toString(), { cache: 'no-store' });
      result = await r.json();
    } catch (err) {
      result = { error: 'NO_PBX', errorText: 'the shell could not reach the PBX: ' + err };
    }
    const reply = Object.assign({ mt: 'Login' }, result, { mt: 'Login' });
    if (msg.src !== undefined) reply.src = msg.src;
    status.textContent = reply.error ? 'login error: ' + (reply.errorText || reply.error)
                                     : 'login issued, waiting for the app';
    e.source.postMessage(asString ? JSON.stringify(reply) : reply, appOrigin);
  });
})();
</script>)";

} // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string app_frame_url(const pbx_config& cfg) {
  return cfg.app_url + ".htm?name=" + url_encode(cfg.app_object) + "&lang=en";
}

std::string shell_link(const pbx_config& cfg, const pbx_user& user) {
  return "/shell/?pbx=" + url_encode(cfg.system_name) + "&user=" + url_encode(user.sip);
}

std::string render_index(const std::vector<shell_tenant>& tenants) {
  std::string s = head("myApps (simulated)");
  s +=
    "<body>\n<header><span class=\"brand\">myApps (simulated)</span><span>choose a tenant and a "
    "user</span></header>\n<main>\n";
  if (tenants.empty()) s += "<p>No PBX is configured.</p>\n";
  for (const auto& t : tenants) {
    if (!t.cfg) continue;
    const auto& c = *t.cfg;
    s += "<section>\n<h2>" + html_escape(c.system_name) + " <small>(" + html_escape(c.pbx_name) + ")</small></h2>\n";
    s += "<p>PBX link to the App service: " + html_escape(t.link_state) +
         (c.test_mode ? " &middot; licence test mode" : "") + "</p>\n<ul>\n";
    for (const auto& u : c.users) {
      s += "<li><a href=\"" + html_escape(shell_link(c, u)) + "\">" + html_escape(u.dn.empty() ? u.sip : u.dn) +
           "</a> (" + html_escape(u.sip) + ")";
      if (!u.licensed) s += " <span class=\"tag\">no app licence</span>";
      s += "</li>\n";
    }
    if (c.users.empty()) s += "<li>no users</li>\n";
    s += "</ul>\n</section>\n";
  }
  s += "</main>\n</body>\n</html>\n";
  return s;
}

std::string render_app_page(const pbx_config& cfg, const pbx_user& user) {
  json::json_writer w;
  w.begin_object().member("pbx", cfg.system_name).member("user", user.sip).end_object();

  std::string s = head("myApps - " + (user.dn.empty() ? user.sip : user.dn) + " @ " + cfg.system_name);
  s += "<body>\n<header>\n<span class=\"brand\">myApps (simulated)</span>\n";
  s += "<span id=\"tenant\">" + html_escape(cfg.system_name) + "</span>\n";
  s += "<label>User <select id=\"user\">\n";
  for (const auto& u : cfg.users) {
    s += "<option value=\"" + html_escape(u.sip) + "\"" + (u.sip == user.sip ? " selected" : "") + ">" +
         html_escape(u.dn.empty() ? u.sip : u.dn) + " (" + html_escape(u.sip) + ")" +
         (u.licensed ? "" : " - no licence") + "</option>\n";
  }
  s +=
    "</select></label>\n<a href=\"/shell/\">all tenants</a>\n<button id=\"logout\" type=\"button\">Log out</button>\n";
  s += "<span id=\"status\" class=\"status\">waiting for the app</span>\n</header>\n";
  s += "<iframe id=\"app\" title=\"" + html_escape(cfg.app_dn.empty() ? cfg.app_object : cfg.app_dn) + "\" src=\"" +
       html_escape(app_frame_url(cfg)) + "\"></iframe>\n";
  s += "<script type=\"application/json\" id=\"shell-config\">" + script_json(w.str()) + "</script>\n";
  s += relay_script;
  s += "\n</body>\n</html>\n";
  return s;
}

std::string render_error_page(std::string_view title, std::string_view text) {
  std::string s = head(title);
  s +=
    "<body>\n<header><span class=\"brand\">myApps (simulated)</span><a href=\"/shell/\">all "
    "tenants</a></header>\n<main>\n<h1>" +
    html_escape(title) + "</h1>\n<p>" + html_escape(text) + "</p>\n</main>\n</body>\n</html>\n";
  return s;
}

} // namespace mpk::sim
