#include "bench/lcd_watchers.hpp"

#include "bench/bench_util.hpp"
#include "bench/load_gen.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <deque>
#include <future>
#include <mutex>
#include <random>
#include <thread>

namespace mpk::bench {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

namespace {

/// The header of a binary LCD frame (docs/app-protocol.md §4).
struct frame_header {
  bool full = false;
  std::uint32_t seq = 0, height = 0, y = 0, h = 0;
  std::string device;
};

std::uint32_t be16(const unsigned char* p) { return (std::uint32_t(p[0]) << 8) | p[1]; }
std::uint32_t be32(const unsigned char* p) { return (be16(p) << 16) | be16(p + 2); }

bool parse_frame(std::string_view m, frame_header& f) {
  if (m.size() < 19 || m[0] != 'L') return false;
  auto* p = reinterpret_cast<const unsigned char*>(m.data());
  std::size_t n = p[18];
  if (m.size() < 19 + n) return false;
  f.full = p[1] == 1;
  f.seq = be32(p + 2);
  f.height = be16(p + 8);
  f.y = be16(p + 12);
  f.h = be16(p + 16);
  f.device.assign(m.substr(19, n));
  return true;
}

/// Every press changes the content area: digits open the dial screen and append; every
/// eighth press goes back to idle (the dial line never reaches its 64-character cap).
std::string key_for(std::uint64_t k) { return k % 8 == 7 ? "CANCEL" : "D" + std::to_string(k % 10); }

} // namespace

struct lcd_watchers::impl {
  watch_options o;
  boost::asio::io_context ioc{1};
  std::thread thread;
  std::atomic<int> ready{0}, failed{0};
  std::atomic<bool> keys_on{false}, calibrating{true};
  std::atomic<std::uint64_t> frames{0}, full_frames{0}, frame_bytes{0}, keys_sent{0}, keys_seen{0}, keys_lost{0},
    key_errors{0}, seq_errors{0}, dropped{0};
  std::mutex err_mu;
  std::string first_error;
  std::vector<double> lat; // the clients' thread only
  std::mt19937 rng{12345};

  void note_error(const std::string& e) {
    std::lock_guard g{err_mu};
    if (first_error.empty()) first_error = e;
  }

  struct client : std::enable_shared_from_this<client> {
    impl& w;
    std::string device;
    websocket::stream<beast::tcp_stream> ws;
    boost::asio::steady_timer key_timer;
    beast::flat_buffer buf;
    std::deque<std::string> out;
    int state = 0; // 0 connecting, 1 challenge, 2 login, 3 watch, 4 watching (first frame seen), 5 failed
    bool have_seq = false;
    std::uint32_t last_seq = 0;
    std::uint32_t clock_bottom = 0; ///< lowest row + 1 that a clock-only frame touched
    std::uint64_t presses = 0;
    bool key_pending = false;
    clock::time_point key_sent{};

    client(impl& i, std::string d) : w(i), device(std::move(d)), ws(i.ioc), key_timer(i.ioc) {}

    void fail(const std::string& why) {
      if (state == 5) return;
      if (state != 4)
        w.failed++;
      else
        w.dropped++;
      state = 5;
      w.note_error(device + ": " + why);
      key_timer.cancel();
    }
    void start(const tcp::endpoint& ep) {
      auto self = shared_from_this();
      ws.next_layer().async_connect(ep, [self](beast::error_code ec) {
        if (ec) return self->fail("connect: " + ec.message());
        self->ws.next_layer().socket().set_option(tcp::no_delay(true));
        self->ws.next_layer().expires_never();
        self->ws.read_message_max(16u << 20);
        self->ws.async_handshake(self->w.o.host, self->w.o.path, [self](beast::error_code ec) {
          if (ec) return self->fail("handshake: " + ec.message());
          self->state = 1;
          self->send(R"({"mt":"AppChallenge"})");
          self->read();
        });
      });
    }
    void send(std::string m) {
      out.push_back(std::move(m));
      if (out.size() == 1) write_next();
    }
    void write_next() {
      auto self = shared_from_this();
      ws.text(true);
      ws.async_write(boost::asio::buffer(out.front()), [self](beast::error_code ec, std::size_t) {
        if (ec) return self->fail("write: " + ec.message());
        self->out.pop_front();
        if (!self->out.empty()) self->write_next();
      });
    }
    void read() {
      auto self = shared_from_this();
      ws.async_read(buf, [self](beast::error_code ec, std::size_t) {
        if (ec) return self->fail("read: " + ec.message());
        std::string_view m(static_cast<const char*>(self->buf.data().data()), self->buf.size());
        if (self->ws.got_binary())
          self->on_frame(m);
        else
          self->on_text(std::string(m));
        self->buf.consume(self->buf.size());
        if (self->state != 5) self->read();
      });
    }
    void on_text(const std::string& s) {
      auto mt = string_member(s, "mt");
      if (state == 1 && mt == "AppChallengeResult") {
        state = 2;
        load_options lo;
        lo.operator_name = w.o.operator_name;
        lo.operator_password = w.o.operator_password;
        send(operator_login(lo, string_member(s, "challenge")));
      } else if (state == 2 && mt == "AppLoginResult") {
        if (s.find("\"ok\":true") == std::string::npos) return fail("login refused");
        state = 3;
        send(R"({"mt":"Watch","src":"w","device":")" + device + "\"}");
      } else if (state == 3 && mt == "WatchResult") {
        if (s.find("\"error\"") != std::string::npos) return fail("watch refused: " + s.substr(0, 200));
      } else if (mt == "KeyResult") {
        if (s.find("\"error\"") != std::string::npos) {
          w.key_errors++;
          if (w.key_errors == 1) w.note_error(device + ": " + s.substr(0, 200));
          key_pending = false;
        }
      }
    }
    void on_frame(std::string_view m) {
      frame_header f;
      if (!parse_frame(m, f)) return fail("bad LCD frame");
      w.frames++;
      w.frame_bytes += m.size();
      if (f.full) w.full_frames++;
      if (have_seq && f.seq == last_seq) w.seq_errors++;
      have_seq = true;
      last_seq = f.seq;
      send(R"({"mt":"FrameAck","src":"w","device":")" + f.device + R"(","seq":)" + std::to_string(f.seq) + "}");
      if (state == 3) {
        state = 4;
        w.ready++;
        arm_key_timer(true);
        return;
      }
      if (w.calibrating) {
        if (!f.full) clock_bottom = std::max(clock_bottom, f.y + f.h);
        return;
      }
      if (key_pending) {
        auto bottom = clock_bottom ? clock_bottom : f.height / 4;
        if (f.full || f.y + f.h > bottom) {
          key_pending = false;
          w.keys_seen++;
          w.lat.push_back(us_since(key_sent) / 1000.0);
        }
      }
    }
    void arm_key_timer(bool first) {
      auto every = std::max(1, w.o.key_every_ms);
      auto delay = first ? std::uniform_int_distribution<int>(0, every - 1)(w.rng) : every;
      key_timer.expires_after(std::chrono::milliseconds(delay));
      auto self = shared_from_this();
      key_timer.async_wait([self](beast::error_code ec) {
        if (ec || self->state == 5) return;
        self->on_key_timer();
        self->arm_key_timer(false);
      });
    }
    void on_key_timer() {
      if (key_pending && us_since(key_sent) > w.o.key_timeout_ms * 1000.0) {
        key_pending = false;
        w.keys_lost++;
      }
      if (!w.keys_on || key_pending) return;
      key_pending = true;
      key_sent = clock::now();
      w.keys_sent++;
      send(R"({"mt":"Key","src":"k","device":")" + device + R"(","key":")" + key_for(presses++) + "\"}");
    }
  };
  std::vector<std::shared_ptr<client>> clients;
};

lcd_watchers::lcd_watchers(watch_options o) : impl_(std::make_unique<impl>()) { impl_->o = std::move(o); }

lcd_watchers::~lcd_watchers() { stop(); }

bool lcd_watchers::start(int timeout_ms) {
  auto& m = *impl_;
  tcp::endpoint ep(boost::asio::ip::make_address(m.o.host), m.o.port);
  auto guard = boost::asio::make_work_guard(m.ioc);
  m.thread = std::thread([&m, g = std::move(guard)]() mutable { m.ioc.run(); });
  // Waves of 100 keep the accept backlog and the phone sessions' first polls in bounds.
  auto t0 = clock::now();
  int n = static_cast<int>(m.o.devices.size());
  for (int i = 0; i < n; ++i) {
    auto c = std::make_shared<impl::client>(m, m.o.devices[static_cast<std::size_t>(i)]);
    m.clients.push_back(c);
    boost::asio::post(m.ioc, [c, ep] { c->start(ep); });
    if (i % 100 == 99)
      while (m.ready + m.failed < i - 50 && us_since(t0) < timeout_ms * 1000.0)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  while (m.ready + m.failed < n && us_since(t0) < timeout_ms * 1000.0)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return m.ready == n;
}

int lcd_watchers::ready() const { return impl_->ready; }
int lcd_watchers::failed() const { return impl_->failed; }

std::string lcd_watchers::first_error() const {
  std::lock_guard g{impl_->err_mu};
  return impl_->first_error;
}

watch_counters lcd_watchers::counters() const {
  auto& m = *impl_;
  watch_counters c;
  c.frames = m.frames, c.full_frames = m.full_frames, c.frame_bytes = m.frame_bytes;
  c.keys_sent = m.keys_sent, c.keys_seen = m.keys_seen, c.keys_lost = m.keys_lost, c.key_errors = m.key_errors;
  c.seq_errors = m.seq_errors, c.dropped = m.dropped;
  return c;
}

void lcd_watchers::set_keys(bool on) {
  if (on) impl_->calibrating = false;
  impl_->keys_on = on;
}

std::vector<double> lcd_watchers::take_key_latencies() {
  std::promise<std::vector<double>> p;
  auto f = p.get_future();
  boost::asio::post(impl_->ioc, [this, &p] { p.set_value(std::exchange(impl_->lat, {})); });
  if (f.wait_for(std::chrono::seconds(30)) != std::future_status::ready) return {};
  return f.get();
}

void lcd_watchers::stop() {
  auto& m = *impl_;
  if (!m.thread.joinable()) return;
  boost::asio::post(m.ioc, [&m] {
    for (auto& c : m.clients) {
      c->state = 5;
      c->key_timer.cancel();
      beast::error_code ec;
      c->ws.next_layer().socket().close(ec);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  m.ioc.stop();
  m.thread.join();
  m.clients.clear();
}

} // namespace mpk::bench
