#pragma once
/// A cheap identity for raw screen dumps: an unchanged screen gives byte-identical BMPs, so
/// comparing fingerprints skips decoding and diffing most polls.

#include <cstdint>
#include <string_view>

namespace mpk::lcd {

/// Fast 64-bit hash of the raw BMP (8 bytes per step, Murmur3-style mixing). Not cryptographic:
/// a collision only delays one screen update until the next change.
std::uint64_t fingerprint(std::string_view raw_bytes);

}  // namespace mpk::lcd
