// The codes the soak accepts are the ones docs/app-protocol.md names, no more.

#include "bench/soak/documented_errors.hpp"

#include <catch2/catch.hpp>

TEST_CASE("soak: the documented error codes are read from the protocol document") {
  auto codes = mpk::soak::documented_error_codes(MPK_SOAK_PROTOCOL_DOC);
  for (const char* c : {"NOT_LOGGED_IN", "LOGIN_FAILURE", "UNKNOWN_DEVICE", "OFFLINE", "BAD_REQUEST", "FORBIDDEN",
                        "SERVICE_UNAVAILABLE", "FAILED"}) {
    INFO(c);
    CHECK(codes.count(c));
  }
  CHECK_FALSE(codes.count("REQUEST_RECEIVER_DOWN")); // the actor system's word, no code of the protocol
  CHECK_FALSE(codes.count("QueryDevicesResult"));
  CHECK(mpk::soak::documented_error_codes("/nonexistent/app-protocol.md").empty());
}

TEST_CASE("soak: an error text with the actor system's words counts as internals") {
  CHECK(mpk::soak::shows_internals("system_error(request_receiver_down)"));
  CHECK(mpk::soak::shows_internals("caf::sec::request_timeout"));
  CHECK_FALSE(mpk::soak::shows_internals("the registry is not reachable right now"));
}
