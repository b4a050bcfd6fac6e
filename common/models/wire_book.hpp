#pragma once
/// The wire data in force for every model: the catalog's built-in data, optionally with an
/// operator's wire file merged over it (docs/wire-calibration.md). The simulator reads its
/// dialects from a file of the same form.
///
/// A wire file: {"about": "…", "wire": {…}, "families": {"IP2x2": {…}}, "models": {"IP232": {…}}}
/// with wire objects as in wire.json. Applied in that order over each model's own data; an entry
/// given replaces that entry's candidates, keyCodes and actions merge name by name.

#include "common/models/catalog.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mpk::models {

class wire_book {
public:
  /// Each model's own data.
  static wire_book built_in(const catalog& c);
  /// The catalog's data with the file's over it. nullopt and `error` ("wire file <path>:
  /// models.IP232.key[1]: unknown placeholder {foo}") when the file cannot be read, is not
  /// JSON, or any entry breaks a rule: nothing of a bad file is used.
  static std::optional<wire_book> load(const catalog& c, const std::string& path, std::string& error);
  /// The same from JSON text; `name` stands for the file in messages.
  static std::optional<wire_book> parse(const catalog& c, std::string_view json, const std::string& name,
                                        std::string& error);

  /// The wire of a product (case-insensitive); nullptr for one the catalog does not have.
  std::shared_ptr<const wire_spec> find(std::string_view product) const;
  /// "built-in" or the file's name.
  const std::string& origin() const { return origin_; }
  /// The file's "about" text ("" when built-in or not given).
  const std::string& about() const { return about_; }
  /// Products whose data the file changed, in catalog order.
  const std::vector<std::string>& changed() const { return changed_; }

private:
  std::map<std::string, std::shared_ptr<const wire_spec>> by_product_; ///< key: upper-case product
  std::string origin_ = "built-in";
  std::string about_;
  std::vector<std::string> changed_;
};

} // namespace mpk::models
