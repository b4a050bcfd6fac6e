#pragma once
// The CAF configuration every binary starts from: our type-ID block, the middleman, and the BASP
// heartbeat pair (CAF 0.17 defaults both to 0: a hung peer, or a host gone without a TCP reset,
// would never be detected).

#include <caf/actor_system_config.hpp>

namespace mpk {

class system_config : public caf::actor_system_config {
public:
  /// with_middleman: load caf::io for the split (multi-process) deployment.
  explicit system_config(bool with_middleman = false);
};

} // namespace mpk
