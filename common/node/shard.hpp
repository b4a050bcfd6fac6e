#pragma once
/// Stable assignment of phones to phone-session nodes: rendezvous (highest random weight)
/// hashing of (node, device). A node leaving moves only its own phones; a node joining takes
/// about 1/n of the phones from the others. Pure logic.

#include <string>
#include <string_view>
#include <vector>

namespace mpk::cluster {

/// The node (one of `nodes`, by name) that serves `device`; "" when `nodes` is empty.
std::string owner_of(std::string_view device, const std::vector<std::string>& nodes);

} // namespace mpk::cluster
