#include "common/models/model_data.hpp"

namespace mpk::models {

std::optional<model_data> load_model_data(const std::string& dir, std::string& error) {
  std::string err;
  auto phones = catalog::load(dir, err);
  if (!phones) {
    error = "cannot load the model data: " + err;
    return std::nullopt;
  }
  auto layouts = keyboard_layouts::load(dir, err);
  if (!layouts) {
    error = "cannot load the keyboard layouts: " + err;
    return std::nullopt;
  }
  return model_data{std::move(*phones), std::move(*layouts)};
}

} // namespace mpk::models
