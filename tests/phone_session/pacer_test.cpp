// Pacing of a shared phone screen: frames only after acks, catch-up frames, shared encodings.
#include "services/phone-session/src/frame_pacer.hpp"
#include "services/phone-session/src/frame_wire.hpp"
#include "tests/phone_session/png_check.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::session;

namespace {

lcd::image screen(int variant) {
  lcd::image img;
  img.width = 64;
  img.height = 48;
  img.rgb.assign(64 * 48 * 3, 230);
  // A small "text" block whose content depends on the variant: deltas stay small.
  for (std::uint32_t y = 10; y < 18; ++y)
    for (std::uint32_t x = 8; x < 40; ++x)
      img.rgb[(y * 64 + x) * 3] = static_cast<std::uint8_t>((x * 7 + y * 3 + variant * 13) % 251);
  return img;
}

const outgoing_frame* to(const std::vector<outgoing_frame>& v, watcher_id w) {
  for (auto& f : v)
    if (f.to == w) return &f;
  return nullptr;
}

} // namespace

TEST_CASE("a new watcher gets nothing before the first screen, then a full frame", "[phone_session][pacer]") {
  frame_pacer p("dev");
  CHECK(p.add(1).empty());
  CHECK(p.any_ready());
  auto out = p.publish(screen(0));
  REQUIRE(out.size() == 1);
  CHECK(out[0].to == 1);
  CHECK(out[0].full);
  CHECK(out[0].seq == 1);
  CHECK_FALSE(p.any_ready());
  auto v = parse_lcd_frame(*out[0].bytes);
  REQUIRE(v);
  CHECK(v->device == "dev");
  CHECK(v->seq == 1);
}

TEST_CASE("a watcher joining late gets a full frame of the current screen at once", "[phone_session][pacer]") {
  frame_pacer p("dev");
  p.add(1);
  p.publish(screen(0));
  auto out = p.add(2);
  REQUIRE(out.size() == 1);
  CHECK(out[0].full);
  CHECK(out[0].seq == p.seq());
  lcd::image canvas;
  REQUIRE(test::paint_frame(canvas, *out[0].bytes));
  CHECK(canvas.rgb == screen(0).rgb);
  CHECK(p.add(2).empty()); // adding again changes nothing
}

TEST_CASE("no next frame before the ack, an unchanged screen gives nothing", "[phone_session][pacer]") {
  frame_pacer p("dev");
  p.add(1);
  p.publish(screen(0));
  CHECK(p.publish(screen(1)).empty()); // not acked yet
  CHECK(p.seq() == 2);
  CHECK(p.publish(screen(1)).empty()); // same pixels: no new seq
  CHECK(p.seq() == 2);
  CHECK(p.ack(1, 99).empty()); // a stale/unknown seq changes nothing
  CHECK_FALSE(p.any_ready());
  auto catch_up = p.ack(1, 1); // the ack of frame 1: screen 2 is waiting
  REQUIRE(catch_up.size() == 1);
  CHECK(catch_up[0].seq == 2);
  CHECK_FALSE(catch_up[0].full);
  CHECK(p.ack(1, 2).empty()); // acked, nothing newer
  CHECK(p.any_ready());
  CHECK(p.publish(screen(1)).empty());
}

TEST_CASE("a watcher that stops acking does not hold back another", "[phone_session][pacer]") {
  frame_pacer p("dev");
  p.add(1); // acks everything
  p.add(2); // never acks after its first frame
  auto first = p.publish(screen(0));
  REQUIRE(first.size() == 2);
  lcd::image fast_canvas;
  REQUIRE(test::paint_frame(fast_canvas, *to(first, 1)->bytes));
  for (int i = 1; i <= 5; ++i) {
    REQUIRE(p.ack(1, p.seq()).empty());
    CHECK(p.any_ready());
    auto out = p.publish(screen(i));
    REQUIRE(out.size() == 1);
    CHECK(out[0].to == 1);
    REQUIRE(test::paint_frame(fast_canvas, *out[0].bytes));
    CHECK(fast_canvas.rgb == screen(i).rgb);
  }
  // The slow watcher acks its first frame at last: one catch-up frame to the newest screen.
  lcd::image slow_canvas;
  REQUIRE(test::paint_frame(slow_canvas, *to(first, 2)->bytes));
  auto catch_up = p.ack(2, 1);
  REQUIRE(catch_up.size() == 1);
  CHECK(catch_up[0].seq == 6);
  REQUIRE(test::paint_frame(slow_canvas, *catch_up[0].bytes));
  CHECK(slow_canvas.rgb == screen(5).rgb);
}

TEST_CASE("watchers that show the same picture share one encoding", "[phone_session][pacer]") {
  frame_pacer p("dev");
  p.add(1);
  p.add(2);
  p.add(3);
  p.publish(screen(0));
  p.ack(1, 1);
  p.ack(2, 1);
  auto out = p.publish(screen(1));
  REQUIRE(out.size() == 2);
  CHECK(out[0].bytes == out[1].bytes); // the same shared buffer
  CHECK_FALSE(out[0].full);
  CHECK(p.frames_sent() == 5);
}

TEST_CASE("reset sends a full frame to every watcher", "[phone_session][pacer]") {
  frame_pacer p("dev");
  p.add(1);
  p.add(2);
  p.publish(screen(0));
  p.ack(1, 1); // 2 never acks
  p.reset();
  CHECK(p.current() == nullptr);
  CHECK(p.any_ready());
  auto out = p.publish(screen(0)); // the same picture as before the reset: still sent, in full
  REQUIRE(out.size() == 2);
  for (auto& f : out) {
    CHECK(f.full);
    CHECK(f.seq == 2);
  }
}

TEST_CASE("a screen that goes back to what a watcher shows sends nothing to it", "[phone_session][pacer]") {
  frame_pacer p("dev");
  p.add(1);
  p.add(2);
  p.publish(screen(0));
  p.ack(1, 1);
  p.publish(screen(1)); // only watcher 1
  p.ack(1, 2);
  auto back = p.publish(screen(0));
  REQUIRE(back.size() == 1);
  CHECK(back[0].to == 1);
  CHECK(p.ack(2, 1).empty()); // watcher 2 already shows screen 0
  CHECK(p.any_ready());
}

TEST_CASE("removed watchers get nothing, invalid images are ignored", "[phone_session][pacer]") {
  frame_pacer p("dev");
  p.add(1);
  CHECK(p.remove(1));
  CHECK_FALSE(p.remove(1));
  CHECK(p.empty());
  CHECK(p.publish(screen(0)).empty());
  p.add(2);
  lcd::image broken;
  broken.width = 10;
  broken.height = 10; // no pixels
  auto seq = p.seq();
  CHECK(p.publish(broken).empty());
  CHECK(p.seq() == seq);
  CHECK(p.ack(7, 1).empty());
}

TEST_CASE("a frame unacknowledged past the timeout is sent again as a full frame, to that watcher only",
          "[phone_session][pacer][ack-timeout]") {
  using namespace std::chrono_literals;
  frame_pacer p("dev");
  p.add(1);
  p.add(2);
  auto first = p.publish(screen(0));
  REQUIRE(first.size() == 2);
  REQUIRE(p.ack(2, 1).empty()); // watcher 2 acks, watcher 1 lost its frame
  CHECK(p.any_awaiting());
  auto now = frame_pacer::clock::now();
  CHECK(p.resend_unacked(now, 10s).empty()); // not yet timed out
  auto again = p.resend_unacked(now + 11s, 10s);
  REQUIRE(again.size() == 1);
  CHECK(again[0].to == 1);
  CHECK(again[0].full); // what it shows is unknown: the whole picture
  CHECK(again[0].seq == p.seq());
  lcd::image canvas;
  REQUIRE(test::paint_frame(canvas, *again[0].bytes));
  CHECK(canvas.rgb == screen(0).rgb);
  // The ack of the resent frame makes it ready again; a second check finds nothing to resend.
  CHECK(p.ack(1, again[0].seq).empty());
  CHECK_FALSE(p.any_awaiting());
  CHECK(p.resend_unacked(now + 30s, 10s).empty());
  // Later changes go to both as usual.
  CHECK(p.publish(screen(1)).size() == 2);
}

TEST_CASE("a timed-out watcher of a screen that moved on gets the newest picture",
          "[phone_session][pacer][ack-timeout]") {
  using namespace std::chrono_literals;
  frame_pacer p("dev");
  p.add(1);
  p.publish(screen(0));
  CHECK(p.publish(screen(1)).empty()); // waiting for the ack of frame 1
  auto again = p.resend_unacked(frame_pacer::clock::now() + 1h, 10s);
  REQUIRE(again.size() == 1);
  CHECK(again[0].full);
  CHECK(again[0].seq == 2);
  lcd::image canvas;
  REQUIRE(test::paint_frame(canvas, *again[0].bytes));
  CHECK(canvas.rgb == screen(1).rgb);
  CHECK(p.ack(1, 1).empty()); // the late ack of the lost frame is stale: nothing happens
  CHECK(p.any_awaiting());
  CHECK(p.ack(1, 2).empty());
  CHECK_FALSE(p.any_awaiting());
}
