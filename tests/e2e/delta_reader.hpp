#pragma once
// How a browser applies DevicesChanged frames, for tests that check what a subscribed client ends
// up with: every seq once (ranges without gap or overlap), the newest state of each device.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace mpk::test {

/// The client's view of the devices it was told about: id → name ("" once removed).
struct applied {
  std::map<std::string, std::string> name_by_id;
  std::set<std::string> removed;
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges; ///< [from, seq] of each DevicesChanged
  int merged = 0;                                            ///< frames that carried "from"
  bool id_twice_in_a_frame = false;
};

/// Applies one DevicesChanged frame (REQUIREs that it is well formed).
void apply_frame(applied& a, const std::string& frame);

/// The id in a simulator control answer `{"id":N}` (REQUIREs status 200).
std::int64_t created_id(const std::pair<int, std::string>& r);

} // namespace mpk::test
