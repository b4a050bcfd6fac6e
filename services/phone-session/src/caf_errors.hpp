#pragma once
/// Reading CAF errors as plain words (the gateway shows them to the admin).

#include <caf/error.hpp>

#include <string>

namespace mpk::session {

/// The text an error carries in its context (our errors: one string), else CAF's rendering.
std::string error_text(const caf::error& e);

/// An error whose context is `text` (the form the gateway reads).
caf::error make_text_error(std::string text);

} // namespace mpk::session
