#include "services/gateway/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mpk::gateway {

namespace {

std::string content_type_of(const std::string& ext) {
  static const std::map<std::string, std::string> types{{".htm", "text/html; charset=utf-8"},
                                                        {".html", "text/html; charset=utf-8"},
                                                        {".js", "text/javascript; charset=utf-8"},
                                                        {".mjs", "text/javascript; charset=utf-8"},
                                                        {".css", "text/css; charset=utf-8"},
                                                        {".json", "application/json"},
                                                        {".png", "image/png"},
                                                        {".svg", "image/svg+xml"},
                                                        {".ico", "image/x-icon"},
                                                        {".txt", "text/plain; charset=utf-8"}};
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

} // namespace

void static_files::load(const std::string& dir, const std::string& prefix) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    auto rel = fs::relative(it->path(), dir, ec).generic_string();
    if (ec || rel.empty() || rel.find("node_modules") != std::string::npos) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files_[prefix + rel] = file{ss.str(), content_type_of(it->path().extension().string())};
  }
}

const static_files::file* static_files::find(const std::string& path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

} // namespace mpk::gateway
