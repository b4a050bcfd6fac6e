#pragma once
/// The unchanged-screen check: an unchanged screen gives a byte-identical BMP, so the last raw
/// dump is kept and the next one compared with it byte for byte. Most polls stop here, without
/// decoding.
///
/// Why a byte comparison and not a hash: both read every byte of the new dump, but `memcmp`
/// runs at memory speed (vector loads, no mixing), measured 3–4× faster than the 64-bit hash
/// used before (bench/lcd_bench.cpp, `unchanged_check`), and it has no collisions. The price is
/// keeping the raw dump (150–390 KB per watched phone); it is moved in, never copied.

#include <cstring>
#include <string>
#include <string_view>

namespace mpk::lcd {

class last_dump {
public:
  /// True when a dump is kept and `raw` is byte-identical to it.
  bool same_as(std::string_view raw) const {
    return have_ && raw.size() == bytes_.size() && std::memcmp(raw.data(), bytes_.data(), raw.size()) == 0;
  }
  /// Keeps `raw` as the dump to compare the next one with.
  void keep(std::string raw) {
    bytes_ = std::move(raw);
    have_ = true;
  }
  /// Forgets the kept dump (and its memory): the next dump counts as changed.
  void forget() {
    bytes_ = std::string();
    have_ = false;
  }
  bool empty() const { return !have_; }
  /// The kept dump (empty when none).
  std::string_view bytes() const { return bytes_; }

private:
  std::string bytes_;
  bool have_ = false;
};

} // namespace mpk::lcd
