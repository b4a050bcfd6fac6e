#pragma once
// The model catalog of this checkout (MPK_MODELS_DIR) and the simulator's wire dialects
// (MPK_SIM_DIALECTS), loaded once per test binary.

#include "common/models/catalog.hpp"
#include "common/models/wire_book.hpp"

#include <memory>
#include <string>

namespace mpk::test {

const models::catalog& catalog();

/// The simulator's dialects (sim/data/wire-dialects.json) over this catalog.
const models::wire_book& sim_dialects();
/// The dialect a simulated phone of `product` speaks (its model's own data when none is named).
std::shared_ptr<const models::wire_spec> dialect_of(const std::string& product);

} // namespace mpk::test
