#pragma once
// Masks secrets in a byte stream that arrives in pieces: every occurrence of a needle, also one
// split across two pieces, becomes as many '*'. The output has the input's length, so a relay
// can keep the Content-Length it announced.

#include <string>
#include <string_view>
#include <vector>

namespace mpk::net {

class redactor {
public:
  /// Empty needles are ignored.
  explicit redactor(std::vector<std::string> needles = {});

  /// Takes the next piece; returns the bytes that are safe to pass on now. Up to (longest
  /// needle - 1) bytes stay back until the next piece or finish() shows what follows them.
  std::string feed(std::string_view piece);
  /// The bytes still held back, masked as far as they match.
  std::string finish();

  bool active() const { return longest_ > 0; }

private:
  /// Masks every complete occurrence in pending_.
  void mask();

  std::vector<std::string> needles_;
  std::size_t longest_ = 0;
  std::string pending_;
};

} // namespace mpk::net
