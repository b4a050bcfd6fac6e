#include "bench/soak/documented_errors.hpp"

#include <fstream>
#include <regex>
#include <sstream>

namespace mpk::soak {

std::set<std::string> documented_error_codes(const std::string& protocol_doc_path) {
  std::ifstream in(protocol_doc_path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto text = ss.str();
  std::set<std::string> codes;
  // `CODE` alone in backquotes, or "error":"CODE" (also inside a backquoted example).
  static const std::regex code(R"(`([A-Z][A-Z_]{2,})`|"error":"([A-Z][A-Z_]{2,})\")");
  for (std::sregex_iterator it(text.begin(), text.end(), code), end; it != end; ++it)
    codes.insert((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
  // `"error":"A"|"B"` lists: every quoted upper-case word after an "error" key on the same line.
  static const std::regex listed(R"(\"error\":([^`\n]*))");
  static const std::regex quoted(R"(\"([A-Z][A-Z_]{2,})\")");
  for (std::sregex_iterator it(text.begin(), text.end(), listed), end; it != end; ++it) {
    auto rest = (*it)[1].str();
    for (std::sregex_iterator q(rest.begin(), rest.end(), quoted); q != end; ++q) codes.insert((*q)[1].str());
  }
  return codes;
}

bool shows_internals(std::string_view text) {
  for (std::string_view needle : {"system_error", "sec::", "caf::", "request_receiver_down", "request_timeout",
                                  "unexpected_message", "runtime_error", "std::", "what():"})
    if (text.find(needle) != std::string_view::npos) return true;
  return false;
}

} // namespace mpk::soak
