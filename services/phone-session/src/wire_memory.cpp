#include "services/phone-session/src/wire_memory.hpp"

#include "common/json/writer.hpp"
#include "common/models/catalog.hpp"

namespace mpk::session {

wire_memory::wire_memory(std::shared_ptr<const models::wire_book> book, std::string file)
    : book_(std::move(book)), file_(std::move(file)) {}

wire_memory::snapshot wire_memory::current() const {
  std::lock_guard lock(mu_);
  return {book_, gen_};
}

std::uint64_t wire_memory::replace(std::shared_ptr<const models::wire_book> book) {
  std::lock_guard lock(mu_);
  book_ = std::move(book);
  learned_.clear();
  return ++gen_;
}

wire_choices wire_memory::choices(const std::string& product, const std::string& version) const {
  std::lock_guard lock(mu_);
  auto it = learned_.find({models::product_key(product), version});
  return it == learned_.end() ? wire_choices{} : it->second;
}

bool wire_memory::learn(const std::string& product, const std::string& version, const std::string& entry,
                        std::uint32_t index, std::uint64_t gen) {
  std::lock_guard lock(mu_);
  if (gen != gen_) return false;
  learned_[{models::product_key(product), version}][entry] = index;
  return true;
}

std::string wire_memory::learned_json() const {
  std::lock_guard lock(mu_);
  json::json_writer w;
  w.begin_array();
  for (const auto& [key, choices] : learned_) {
    w.begin_object().member("product", key.first).member("version", key.second).key("choices").begin_object();
    for (const auto& [entry, index] : choices) w.member(entry, index);
    w.end_object().end_object();
  }
  w.end_array();
  return w.take();
}

} // namespace mpk::session
