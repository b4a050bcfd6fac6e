#pragma once
/// The HTML of the simulated myApps shell: the index of tenants and users, and the page that embeds
/// the app in an iframe and answers its getLogin (docs/spec/appwebsocket.md §5.2). Pure text generation.

#include "sim/pbx/pbx_config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mpk::sim {

/// One PBX as the index lists it.
struct shell_tenant {
  const pbx_config* cfg = nullptr;
  std::string link_state; ///< pbx_sim::state(), shown next to the tenant
};

/// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

/// The URL the shell loads in its iframe: `<app_url>.htm?name=<app_object>&lang=en` — myApps passes
/// the App object name as `name`; the app uses it as the `app` of its getLogin.
std::string app_frame_url(const pbx_config& cfg);

/// "/shell/?pbx=<system_name>&user=<sip>".
std::string shell_link(const pbx_config& cfg, const pbx_user& user);

/// Index page: every tenant with its link state and a link per configured user.
std::string render_index(const std::vector<shell_tenant>& tenants);

/// The shell page of one user: header (tenant, user, user switch), the app in a full-size iframe,
/// and the inline script relaying getLogin → /shell/login → Login to the frame.
std::string render_app_page(const pbx_config& cfg, const pbx_user& user);

/// A small page for errors a person sees in the browser (unknown PBX or user).
std::string render_error_page(std::string_view title, std::string_view text);

} // namespace mpk::sim
