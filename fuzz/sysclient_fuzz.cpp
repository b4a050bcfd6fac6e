// Fuzz target: one sysclient websocket binary frame (admin or tunnel) from a device or the
// Devices App. Whatever decodes must encode back to the same bytes (the codec has one form).

#include "common/sysclient/codec.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  auto r = mpk::sysclient::decode(frame);
  if (!r.msg) {
    if (r.error.empty()) std::abort(); // a refusal must say why
    return 0;
  }
  std::string again = std::visit([](const auto& m) { return mpk::sysclient::encode(m); }, *r.msg);
  if (again != frame) std::abort();
  if (auto* t = std::get_if<mpk::sysclient::tunnel_message>(&*r.msg)) (void)mpk::sysclient::recv_length(*t);
  return 0;
}
