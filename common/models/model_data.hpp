#pragma once
// The per-model phone data and the keyboard layouts, loaded together from one folder
// (what every binary that serves browsers needs).

#include "common/models/catalog.hpp"
#include "common/models/keyboard_layouts.hpp"

#include <optional>
#include <string>

namespace mpk::models {

struct model_data {
  catalog phones;
  keyboard_layouts layouts;
};

/// nullopt with `error` naming the part that failed ("model data: …" / "keyboard layouts: …").
std::optional<model_data> load_model_data(const std::string& dir, std::string& error);

} // namespace mpk::models
