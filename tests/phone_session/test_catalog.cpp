#include "tests/phone_session/test_catalog.hpp"

#include <stdexcept>

namespace mpk::test {

const models::catalog& catalog() {
  static const models::catalog cat = [] {
    std::string err;
    auto c = models::catalog::load(MPK_MODELS_DIR, err);
    if (!c) throw std::runtime_error("model catalog: " + err);
    return std::move(*c);
  }();
  return cat;
}

const models::wire_book& sim_dialects() {
  static const models::wire_book book = [] {
    std::string err;
    auto b = models::wire_book::load(catalog(), MPK_SIM_DIALECTS, err);
    if (!b) throw std::runtime_error("simulator dialects: " + err);
    return std::move(*b);
  }();
  return book;
}

std::shared_ptr<const models::wire_spec> dialect_of(const std::string& product) { return sim_dialects().find(product); }

} // namespace mpk::test
