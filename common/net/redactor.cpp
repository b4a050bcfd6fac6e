#include "common/net/redactor.hpp"

#include <algorithm>
#include <utility>

namespace mpk::net {

redactor::redactor(std::vector<std::string> needles) {
  for (auto& n : needles)
    if (!n.empty()) {
      longest_ = std::max(longest_, n.size());
      needles_.push_back(std::move(n));
    }
}

void redactor::mask() {
  for (auto& n : needles_)
    for (auto at = pending_.find(n); at != std::string::npos; at = pending_.find(n, at + n.size()))
      std::fill_n(pending_.begin() + static_cast<std::ptrdiff_t>(at), n.size(), '*');
}

std::string redactor::feed(std::string_view piece) {
  if (!active()) return std::string(piece);
  pending_.append(piece);
  mask();
  // A needle that starts in the last (longest - 1) bytes may still end in the next piece.
  auto keep = std::min(pending_.size(), longest_ - 1);
  std::string out = pending_.substr(0, pending_.size() - keep);
  pending_.erase(0, pending_.size() - keep);
  return out;
}

std::string redactor::finish() {
  mask();
  return std::exchange(pending_, {});
}

} // namespace mpk::net
