#include "sim/pbx/pbx_config.hpp"

#include <string_view>

namespace mpk::sim {

std::string app_html_name(const pbx_config& cfg) {
  std::string_view url = cfg.app_url;
  if (auto cut = url.find_first_of("?#"); cut != std::string_view::npos) url = url.substr(0, cut);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  if (auto slash = url.rfind('/'); slash != std::string_view::npos) url = url.substr(slash + 1);
  constexpr std::string_view ext = ".htm";
  if (url.size() > ext.size() && url.substr(url.size() - ext.size()) == ext) url.remove_suffix(ext.size());
  return std::string(url);
}

const pbx_user* find_user(const pbx_config& cfg, std::string_view sip) {
  for (const auto& u : cfg.users)
    if (!sip.empty() && u.sip == sip) return &u;
  return nullptr;
}

} // namespace mpk::sim
