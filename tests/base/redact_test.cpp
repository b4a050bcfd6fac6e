// What a status, a log line or a browser may see of a URL or an error text: no passthrough key,
// no password in a URL (common/base/redact.hpp).

#include "common/base/redact.hpp"

#include <catch2/catch.hpp>

using mpk::log::url_for_display;
using mpk::log::without_secrets;

TEST_CASE("redact: a URL is shown without user:password@, query and fragment") {
  CHECK(url_for_display("wss://u:p@ap.example.com:443/t1/devices/innovaphone-devices-api?key=1#x") ==
        "wss://ap.example.com:443/t1/devices/innovaphone-devices-api");
  CHECK(url_for_display("https://ap.example.com/a/b") == "https://ap.example.com/a/b");
  CHECK(url_for_display("wss://user@host/p") == "wss://host/p");
  CHECK(url_for_display("") == "");
  CHECK(url_for_display("not a url?x") == "not a url");
}

TEST_CASE("redact: the passthrough key in an error text is replaced, the rest stays") {
  auto text =
    "GET https://ap.example.com/t1/devices/passthrough/0090333f0a01/6f1c2e3d4b5a69788796a5b4c3d2e1f0/"
    "lcd_dump.bmp failed: 403";
  CHECK(without_secrets(text) ==
        "GET https://ap.example.com/t1/devices/passthrough/0090333f0a01/…/lcd_dump.bmp failed: 403");
  // At the end of a text, and a URL with a password in the same text.
  CHECK(without_secrets("base http://a/passthrough/hw/KEY and wss://admin:secret@h/x") ==
        "base http://a/passthrough/hw/… and wss://h/x");
  // Nothing to hide: unchanged.
  CHECK(without_secrets("phone offline (503)") == "phone offline (503)");
  CHECK(without_secrets("/passthrough/") == "/passthrough/");
}
