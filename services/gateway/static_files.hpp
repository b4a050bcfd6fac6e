#pragma once
// The web app's files and the model data, read once at start and served from memory.

#include <map>
#include <string>

namespace mpk::gateway {

class static_files {
public:
  /// Loads every file below `dir` under the URL prefix `prefix` (e.g. "models/").
  void load(const std::string& dir, const std::string& prefix);
  struct file {
    std::string body, content_type;
  };
  /// `path` relative to the instance, e.g. "innovaphone-myphonekeys.htm" or "app/main.js".
  const file* find(const std::string& path) const;
  std::size_t size() const { return files_.size(); }

private:
  std::map<std::string, file> files_;
};

} // namespace mpk::gateway
