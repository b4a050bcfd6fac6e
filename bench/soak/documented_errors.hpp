#pragma once
/// The error codes the app protocol documents, read from docs/app-protocol.md itself so that the
/// soak judges answers by the document a browser's author reads (a code added there is known here).

#include <set>
#include <string>
#include <string_view>

namespace mpk::soak {

/// Every code the document names: upper-case words as `"error":"CODE"` or in backquotes.
/// Empty when the file cannot be read.
std::set<std::string> documented_error_codes(const std::string& protocol_doc_path);

/// True when an errorText shows the actor system's or another peer's internals (what a browser
/// must never see: docs/app-protocol.md, Errors).
bool shows_internals(std::string_view error_text);

} // namespace mpk::soak
