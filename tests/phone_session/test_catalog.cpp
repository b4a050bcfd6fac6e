#include "tests/phone_session/test_catalog.hpp"

#include <stdexcept>

namespace mpk::test {

const models::catalog& catalog() {
  static const models::catalog cat = [] {
    std::string err;
    auto c = models::catalog::load(MPK_MODELS_DIR, err);
    if (!c)
      throw std::runtime_error("model catalog: " + err);
    return std::move(*c);
  }();
  return cat;
}

} // namespace mpk::test
