#pragma once
/// HTTP/1.1 message serialization (Boost.Beast's serializer, in serializer.cpp only). The body is
/// always sent whole, framed by Content-Length.

#include "common/http/message.hpp"

#include <string>
#include <string_view>

namespace mpk::http {

/// Request bytes. Sets Content-Length when the body is non-empty or the method is POST/PUT,
/// otherwise drops any Content-Length; always drops Transfer-Encoding (the body is sent whole).
/// CR, LF and NUL inside a header field or the method become a space, and spaces, controls and
/// non-ASCII bytes of the target are percent-encoded, so no field can inject lines. The version
/// is HTTP/1.0 when it says so, HTTP/1.1 otherwise.
std::string serialize(const request& req);

/// Response bytes. Always sets Content-Length (and drops Transfer-Encoding), except for
/// 1xx and 204 where RFC 9110 §8.6 forbids it: those go without Content-Length and body.
/// An empty reason becomes the status's standard phrase.
std::string serialize(const response& res);

/// The standard reason phrase of `status` ("Not Found", Beast's table); empty for unknown codes.
std::string_view reason_phrase(int status);

} // namespace mpk::http
