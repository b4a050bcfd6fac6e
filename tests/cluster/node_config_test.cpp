// Node options: peers as host:port, TLS material all-or-nothing, bad input as clear errors.

#include "common/base/config.hpp"
#include "common/node/node_config.hpp"

#include <catch2/catch.hpp>

using namespace mpk;

TEST_CASE("node config: peers parse as host:port and bad ones are refused with a reason") {
  std::string err;
  auto p = cluster::parse_peer("registry:4100", err);
  REQUIRE(p);
  CHECK(p->host == "registry");
  CHECK(p->port == 4100);
  CHECK(p->text() == "registry:4100");
  auto v6 = cluster::parse_peer("[::1]:7", err);
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  for (auto bad : {"", ":", "host", "host:", ":4100", "host:0", "host:65536", "host:12ab", "[::1:5", "a b:5", "h:-1"}) {
    err.clear();
    INFO(bad);
    CHECK_FALSE(cluster::parse_peer(bad, err));
    CHECK_FALSE(err.empty());
  }
}

TEST_CASE("node config: options from settings, lists of peers, TLS needs all three files") {
  config::settings s("t", "t");
  cluster::add_node_options(s);
  std::string msg;
  REQUIRE(s.set("node.registry", "127.0.0.1:4100", msg));
  REQUIRE(s.set("node.phones", "127.0.0.1:4201,127.0.0.1:4202", msg));
  REQUIRE(s.set("node.port", "4300", msg));
  std::string err;
  auto o = cluster::node_options_from(s, err);
  REQUIRE(o);
  CHECK(o->bind == "127.0.0.1");
  CHECK(o->publish_port == 4300);
  REQUIRE(o->registry_peers.size() == 1);
  REQUIRE(o->phone_peers.size() == 2);
  CHECK(o->phone_peers[1].port == 4202);
  CHECK_FALSE(o->tls());
  CHECK_FALSE(o->insecure);

  REQUIRE(s.set("node.tls.certificate", "node.pem", msg));
  CHECK_FALSE(cluster::node_options_from(s, err));
  CHECK(err.find("together") != std::string::npos);
  REQUIRE(s.set("node.tls.key", "node.key", msg));
  REQUIRE(s.set("node.tls.cafile", "ca.pem", msg));
  auto t = cluster::node_options_from(s, err);
  REQUIRE(t);
  CHECK(t->tls());

  REQUIRE(s.set("node.phones", "127.0.0.1:4201,nonsense", msg));
  err.clear();
  CHECK_FALSE(cluster::node_options_from(s, err));
  CHECK(err.find("node.phones") != std::string::npos);
}
