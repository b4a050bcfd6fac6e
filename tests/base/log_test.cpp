// Logging: trace categories switch at run time; the appws trace masks secrets.

#include "common/base/log.hpp"

#include <catch2/catch.hpp>

using namespace mpk::log;

TEST_CASE("log: trace categories switch on and off at run time") {
  set_trace(category::appws, true);
  CHECK(trace_enabled(category::appws));
  CHECK(category_from("appws") == category::appws);
  CHECK_FALSE(category_from("nope"));
  set_trace(category::appws, false);
  CHECK_FALSE(trace_enabled(category::appws));
}

TEST_CASE("log: secrets are masked in traced frames") {
  auto masked = mask_secrets(
    R"({"mt":"AppLogin","digest":"abcdef0123","info":{"cn":"x"},"key":"k-e-y","salt":"s","uri":"http://h/passthrough/009033/0e6f/"})");
  CHECK(masked.find("abcdef0123") == std::string::npos);
  CHECK(masked.find("k-e-y") == std::string::npos);
  CHECK(masked.find("passthrough/009033/0e6f") == std::string::npos);
  CHECK(masked.find("\"cn\":\"x\"") != std::string::npos);
  CHECK(masked.find("\"mt\":\"AppLogin\"") != std::string::npos);
  // Whitespace a sender may put around the colon does not unmask anything.
  CHECK(mask_secrets("{\"key\"\t:\n \"k-e-y\"}").find("k-e-y") == std::string::npos);
}
