#include "bench/load_gen.hpp"

#include "bench/bench_util.hpp"
#include "common/crypto/login_digest.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <utility>

namespace mpk::bench {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

std::string string_member(const std::string& json, const std::string& key) {
  auto k = "\"" + key + "\":\"";
  auto at = json.find(k);
  if (at == std::string::npos) return {};
  at += k.size();
  auto end = json.find('"', at);
  return end == std::string::npos ? std::string() : json.substr(at, end - at);
}

std::string operator_login(const load_options& o, const std::string& challenge) {
  const std::string guid = "00000000000000000000000000000000", domain = "bench.example.com", dn = "Admin";
  auto digest = crypto::login_digest({o.operator_name, domain, o.operator_name, guid, dn, std::nullopt}, challenge,
                                     o.operator_password);
  return R"({"mt":"AppLogin","app":")" + o.operator_name + R"(","domain":")" + domain + R"(","sip":")" +
         o.operator_name + R"(","guid":")" + guid + R"(","dn":")" + dn + R"(","digest":")" + digest + "\"}";
}

namespace {

/// One `"name":"bench <stamp> <k>"` record at `at` (just after the key): its stamp and k.
std::pair<std::int64_t, std::int64_t> parse_bench_name(std::string_view m, std::size_t at) {
  std::int64_t stamp = 0, k = 0;
  auto i = at;
  for (; i < m.size() && m[i] >= '0' && m[i] <= '9'; ++i) stamp = stamp * 10 + (m[i] - '0');
  if (i < m.size() && m[i] == ' ') ++i;
  auto k_at = i;
  for (; i < m.size() && m[i] >= '0' && m[i] <= '9'; ++i) k = k * 10 + (m[i] - '0');
  return {stamp, i > k_at ? k : -1};
}

/// TLS 1.3 (what Chromium and the gateway negotiate), verifying the gateway with the bench's CA.
std::unique_ptr<boost::asio::ssl::context> client_tls(const load_options& o) {
  if (!o.tls) return nullptr;
  auto ctx = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  ctx->set_verify_mode(boost::asio::ssl::verify_peer);
  ctx->load_verify_file(o.ca_file);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_3_VERSION);
  return ctx;
}

using plain_ws = websocket::stream<beast::tcp_stream>;
using tls_ws = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

} // namespace

struct load_gen::impl {
  load_options o;
  boost::asio::io_context ioc{1};
  std::thread thread;
  std::atomic<int> ready{0}, failed{0};
  std::atomic<std::uint64_t> deliveries{0}, messages{0}, superseded{0}, duplicates{0};
  std::unique_ptr<std::atomic<std::int64_t>[]> sent_us; ///< by k: when the driver sent it
  std::vector<double> lat;                              // clients' thread only
  std::uint64_t local_deliveries = 0;
  std::unique_ptr<boost::asio::ssl::context> tls; ///< with o.tls: every client's TLS context

  /// What start() and stop() need of a client, whatever its stream.
  struct client_base {
    virtual ~client_base() = default;
    virtual void start(const tcp::endpoint& ep) = 0;
    virtual void close() = 0;
  };

  template <class Stream>
  struct client : client_base, std::enable_shared_from_this<client<Stream>> {
    impl& lg;
    Stream ws;
    beast::flat_buffer buf;
    std::deque<std::string> out;
    int state = 0;                    // 0 connecting, 1 challenge, 2 login, 3 query, 4 ready
    std::vector<std::int64_t> last_k; ///< by device slot (k % stride): the newest change seen
    explicit client(impl& l)
        : lg(l), ws(make_stream(l)), last_k(static_cast<std::size_t>(std::max(l.o.stride, 0)), -1) {}

    static Stream make_stream(impl& l) {
      if constexpr (std::is_same_v<Stream, tls_ws>)
        return Stream(l.ioc, *l.tls);
      else
        return Stream(l.ioc);
    }

    /// Counts the bench records of one message: each new change once, with the changes of the
    /// same device it replaced (merged away by the server), and changes seen twice apart.
    void count_deliveries(std::string_view m, std::int64_t now_us) {
      static constexpr std::string_view key = "\"name\":\"bench ";
      std::uint64_t n = 0, old = 0, twice = 0;
      for (auto at = m.find(key); at != std::string_view::npos; at = m.find(key, at + 1)) {
        auto [stamp, k] = parse_bench_name(m, at + key.size());
        auto stride = static_cast<std::int64_t>(last_k.size());
        if (stride == 0 || k < 0) {
          lg.lat.push_back(static_cast<double>(now_us - stamp) / 1000.0);
          ++n;
          continue;
        }
        auto& last = last_k[static_cast<std::size_t>(k % stride)];
        if (k <= last) {
          ++twice;
          continue;
        }
        lg.lat.push_back(static_cast<double>(now_us - stamp) / 1000.0);
        ++n;
        for (auto e = k - stride; e > last && e >= 0; e -= stride) {
          auto sent = e < lg.o.max_changes ? lg.sent_us[static_cast<std::size_t>(e)].load() : 0;
          if (sent > 0) lg.lat.push_back(static_cast<double>(now_us - sent) / 1000.0);
          ++n;
          ++old;
        }
        last = k;
      }
      if (n) lg.deliveries += n;
      if (old) lg.superseded += old;
      if (twice) lg.duplicates += twice;
    }

    void fail() {
      if (state != 5) lg.failed++;
      state = 5;
    }
    void close() override {
      beast::error_code ec;
      beast::get_lowest_layer(ws).socket().close(ec);
    }
    void start(const tcp::endpoint& ep) override {
      auto self = this->shared_from_this();
      beast::get_lowest_layer(ws).async_connect(ep, [self](beast::error_code ec) {
        if (ec) return self->fail();
        beast::get_lowest_layer(self->ws).socket().set_option(tcp::no_delay(true));
        beast::get_lowest_layer(self->ws).expires_never();
        self->ws.read_message_max(64u << 20);
        if constexpr (std::is_same_v<Stream, tls_ws>) {
          self->ws.next_layer().set_verify_callback(boost::asio::ssl::host_name_verification(self->lg.o.host));
          self->ws.next_layer().async_handshake(boost::asio::ssl::stream_base::client, [self](beast::error_code ec) {
            if (ec) return self->fail();
            self->upgrade();
          });
        } else {
          self->upgrade();
        }
      });
    }
    void upgrade() {
      auto self = this->shared_from_this();
      ws.async_handshake(lg.o.host, lg.o.path, [self](beast::error_code ec) {
        if (ec) return self->fail();
        if (!self->lg.o.login) {
          self->state = 4;
          self->lg.ready++;
        } else {
          self->state = 1;
          self->send(R"({"mt":"AppChallenge"})");
        }
        self->read();
      });
    }
    void send(std::string m) {
      out.push_back(std::move(m));
      if (out.size() == 1) write_next();
    }
    void write_next() {
      auto self = this->shared_from_this();
      ws.text(true);
      ws.async_write(boost::asio::buffer(out.front()), [self](beast::error_code ec, std::size_t) {
        if (ec) return self->fail();
        self->out.pop_front();
        if (!self->out.empty()) self->write_next();
      });
    }
    void read() {
      auto self = this->shared_from_this();
      ws.async_read(buf, [self](beast::error_code ec, std::size_t) {
        if (ec) return self->fail();
        std::string_view m(static_cast<const char*>(self->buf.data().data()), self->buf.size());
        self->on_message(m);
        self->buf.consume(self->buf.size());
        self->read();
      });
    }
    void on_message(std::string_view m) {
      lg.messages++;
      if (state == 4) {
        count_deliveries(m, wall_us());
        return;
      }
      std::string s(m);
      if (state == 1 && s.find("AppChallengeResult") != std::string::npos) {
        state = 2;
        send(operator_login(lg.o, string_member(s, "challenge")));
      } else if (state == 2 && s.find("AppLoginResult") != std::string::npos) {
        if (s.find("\"ok\":true") == std::string::npos) return fail();
        state = 3;
        send(R"({"mt":"QueryDevices","src":"list","subscribe":true,"limit":1})");
      } else if (state == 3 && s.find("QueryDevicesResult") != std::string::npos) {
        if (s.find("\"error\"") != std::string::npos) return fail();
        state = 4;
        lg.ready++;
      }
    }
  };
  std::vector<std::shared_ptr<client_base>> clients;
};

load_gen::load_gen(load_options o) : impl_(std::make_unique<impl>()) {
  impl_->o = std::move(o);
  impl_->o.max_changes = std::max(impl_->o.max_changes, 0);
  impl_->sent_us = std::make_unique<std::atomic<std::int64_t>[]>(static_cast<std::size_t>(impl_->o.max_changes) + 1);
}

void load_gen::note_sent(int k, std::int64_t stamp_us) {
  if (k >= 0 && k < impl_->o.max_changes) impl_->sent_us[static_cast<std::size_t>(k)] = stamp_us;
}

std::uint64_t load_gen::superseded() const { return impl_->superseded; }
std::uint64_t load_gen::duplicates() const { return impl_->duplicates; }

load_gen::~load_gen() { stop(); }

bool load_gen::start(int timeout_ms) {
  auto& m = *impl_;
  tcp::endpoint ep(boost::asio::ip::make_address(m.o.host), m.o.port);
  auto guard = boost::asio::make_work_guard(m.ioc);
  m.thread = std::thread([&m, g = std::move(guard)]() mutable { m.ioc.run(); });
  // Connect in waves of 100 so that the accept backlog never overflows.
  auto t0 = clock::now();
  m.tls = client_tls(m.o);
  for (int i = 0; i < m.o.clients; ++i) {
    std::shared_ptr<impl::client_base> c;
    if (m.tls)
      c = std::make_shared<impl::client<tls_ws>>(m);
    else
      c = std::make_shared<impl::client<plain_ws>>(m);
    m.clients.push_back(c);
    boost::asio::post(m.ioc, [c, ep] { c->start(ep); });
    if (i % 100 == 99)
      while (m.ready + m.failed < i - 50 && us_since(t0) < timeout_ms * 1000.0)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  while (m.ready + m.failed < m.o.clients && us_since(t0) < timeout_ms * 1000.0)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return m.ready == m.o.clients;
}

int load_gen::ready() const { return impl_->ready; }
int load_gen::failed() const { return impl_->failed; }
std::uint64_t load_gen::deliveries() const { return impl_->deliveries; }
std::uint64_t load_gen::messages() const { return impl_->messages; }

std::vector<double> load_gen::take_latencies() {
  std::promise<std::vector<double>> p;
  auto f = p.get_future();
  boost::asio::post(impl_->ioc, [this, &p] { p.set_value(std::exchange(impl_->lat, {})); });
  if (f.wait_for(std::chrono::seconds(30)) != std::future_status::ready) return {};
  return f.get();
}

void load_gen::stop() {
  auto& m = *impl_;
  if (!m.thread.joinable()) return;
  boost::asio::post(m.ioc, [&m] {
    for (auto& c : m.clients) c->close();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  m.ioc.stop();
  m.thread.join();
  m.clients.clear();
}

struct query_client::impl {
  boost::asio::io_context ioc;
  websocket::stream<tcp::socket> ws{ioc};
};

query_client::query_client() : impl_(std::make_unique<impl>()) {}
query_client::~query_client() {
  beast::error_code ec;
  impl_->ws.next_layer().close(ec);
}

bool query_client::open(const load_options& o) {
  try {
    impl_->ws.next_layer().connect(tcp::endpoint(boost::asio::ip::make_address(o.host), o.port));
    impl_->ws.next_layer().set_option(tcp::no_delay(true));
    impl_->ws.read_message_max(64u << 20);
    impl_->ws.handshake(o.host, o.path);
    std::string r;
    if (!call(R"({"mt":"AppChallenge"})", "AppChallengeResult", r)) return false;
    if (!call(operator_login(o, string_member(r, "challenge")), "AppLoginResult", r)) return false;
    return r.find("\"ok\":true") != std::string::npos;
  } catch (const std::exception&) {
    return false;
  }
}

bool query_client::call(const std::string& request, const std::string& result_mt, std::string& result) {
  try {
    impl_->ws.text(true);
    impl_->ws.write(boost::asio::buffer(request));
    for (;;) {
      beast::flat_buffer b;
      impl_->ws.read(b);
      result = beast::buffers_to_string(b.data());
      if (string_member(result, "mt") == result_mt) return true;
    }
  } catch (const std::exception&) {
    return false;
  }
}

} // namespace mpk::bench
