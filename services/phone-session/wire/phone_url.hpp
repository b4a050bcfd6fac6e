#pragma once
/// A phone's base URL and the paths sent to it: a Devices passthrough URL (which carries the
/// devices-api session key) or the phone's own address.

#include <string>
#include <string_view>

namespace mpk::wire {

/// base ".../passthrough/<hwId>/<key>/" + path "/lcd_dump.bmp" → one slash between them.
std::string join_url(std::string_view base, std::string_view path);

/// Removes the base URL (and with it a passthrough key) from a text that might quote it
/// (client error messages).
std::string without_secret(std::string_view text, std::string_view base_url);

} // namespace mpk::wire
