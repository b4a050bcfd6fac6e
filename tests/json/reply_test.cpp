// Replies: api/src echo and error replies.
#include "common/json/envelope.hpp"

#include <catch2/catch.hpp>

using namespace mpk::json;

TEST_CASE("begin_reply echoes api and src") {
  envelope_parser p;
  envelope_errc err{};
  auto req = p.parse(R"({"mt":"GetPhones","api":"Phones","src":"s\"1","x":1})", err);
  REQUIRE(req);
  json_writer w;
  begin_reply(w, *req, "GetPhonesResult");
  w.member("count", 3).end_object();
  CHECK(w.str() == R"({"mt":"GetPhonesResult","api":"Phones","src":"s\"1","count":3})");
}

TEST_CASE("begin_reply leaves out api and src the request did not have") {
  envelope_parser p;
  envelope_errc err{};
  auto req = p.parse(R"({"mt":"AppChallenge"})", err);
  REQUIRE(req);
  json_writer w;
  begin_reply(w, *req, "AppChallengeResult");
  w.member("challenge", "0123456789abcdef").end_object();
  CHECK(w.str() == R"({"mt":"AppChallengeResult","challenge":"0123456789abcdef"})");
}

TEST_CASE("begin_reply echoes a non-string src unchanged") {
  envelope_parser p;
  envelope_errc err{};
  auto req = p.parse(R"({"mt":"Ping","src":17})", err);
  REQUIRE(req);
  CHECK(req->has_src());
  json_writer w;
  begin_reply(w, *req, "PingResult");
  w.end_object();
  CHECK(w.str() == R"({"mt":"PingResult","src":17})");
}

TEST_CASE("begin_message writes only the given parts") {
  json_writer w;
  begin_message(w, "SubscribeServices", "Services", "s1");
  w.end_object();
  CHECK(w.str() == R"({"mt":"SubscribeServices","api":"Services","src":"s1"})");
  w.clear();
  begin_message(w, "KeepAlive");
  w.end_object();
  CHECK(w.str() == R"({"mt":"KeepAlive"})");
}

TEST_CASE("error_reply with and without a request") {
  envelope_parser p;
  envelope_errc err{};
  auto req = p.parse(R"({"mt":"KeyPress","api":"Phone","src":"k9"})", err);
  REQUIRE(req);
  CHECK(error_reply(req, "KeyPressResult", "NOT_FOUND", "no such \"phone\"") ==
        R"({"mt":"KeyPressResult","api":"Phone","src":"k9","error":"NOT_FOUND","errorText":"no such \"phone\""})");
  CHECK(error_reply(nullptr, "Error", "BAD_FRAME", describe(envelope_errc::malformed)) ==
        R"({"mt":"Error","error":"BAD_FRAME","errorText":"frame is not valid JSON"})");
}
