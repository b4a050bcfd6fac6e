#pragma once
// The model catalog of this checkout (MPK_MODELS_DIR), loaded once per test binary.

#include "common/models/catalog.hpp"

namespace mpk::test {

const models::catalog& catalog();

} // namespace mpk::test
