#include "sim/control/control_api.hpp"

#include "common/http/url.hpp"
#include "common/json/writer.hpp"

#include <simdjson.h>

#include <charconv>

namespace mpk::sim {

namespace {

net::http_reply ok_json(std::string body) { return net::http_reply::json(200, std::move(body)); }

net::http_reply error_json(int status, std::string_view text) {
  json::json_writer w;
  w.begin_object().member("ok", false).member("error", text).end_object();
  return net::http_reply::json(status, w.take());
}

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<bool> to_bool(std::string_view s) {
  if (s == "true" || s == "1" || s == "yes") return true;
  if (s == "false" || s == "0" || s == "no") return false;
  return std::nullopt;
}

} // namespace

bool is_loopback(std::string_view remote) {
  if (remote.substr(0, 1) == "[") remote.remove_prefix(1);
  if (remote.substr(0, 7) == "::ffff:") remote.remove_prefix(7);
  if (remote.substr(0, 4) == "127.") return true;
  return remote.substr(0, 4) == "::1]" || remote.substr(0, 4) == "::1:" || remote == "::1";
}

control_api::control_api(devices_app& app, phone_fleet& fleet, control_hooks hooks)
    : app_(app), fleet_(fleet), hooks_(std::move(hooks)) {}

std::optional<net::http_reply> control_api::handle(const net::http_request_info& req) {
  constexpr std::string_view root = "/control/";
  if (req.target.compare(0, root.size(), root) != 0 && req.target != "/control") return std::nullopt;
  if (!is_loopback(req.remote)) return error_json(403, "the control interface only answers loopback clients");
  auto parts = http::split_target(req.target);
  if (!parts) return error_json(400, "bad request target");
  const auto& path = parts->path;
  auto q = [&](std::string_view k) { return http::query_value(*parts, k); };
  const bool get = req.method == "GET", post = req.method == "POST";
  auto instance_of = [&]() -> std::shared_ptr<devices_instance> {
    auto name = q("instance");
    if (!name || name->empty()) return app_.instances().empty() ? nullptr : app_.instances().front();
    return app_.find(*name);
  };

  if (path == "/control/state" && get) return state();

  if (path == "/control/devices" && get) {
    auto inst = instance_of();
    if (!inst) return error_json(404, "unknown instance");
    return ok_json(inst->devices_json());
  }

  if (path == "/control/domains" && get) {
    auto inst = instance_of();
    if (!inst) return error_json(404, "unknown instance");
    json::json_writer w;
    w.begin_array();
    for (auto& d : inst->domains()) {
      // Passwords included: this is a loopback-only test interface of a simulator.
      w.begin_object()
        .member("id", d.id)
        .member("name", d.name)
        .member("password", d.password)
        .member("deployAdminPasswords", d.deploy_admin_passwords)
        .member("isInstanceDomain", d.is_instance_domain)
        .member("adminPassword", d.admin_password)
        .end_object();
    }
    w.end_array();
    return ok_json(w.take());
  }

  if (path == "/control/device" && post) return post_device(req);

  if (path == "/control/domain" && post) return post_domain(req);

  if (path == "/control/domain" && req.method == "DELETE") {
    auto inst = instance_of();
    if (!inst) return error_json(404, "unknown instance");
    auto id = q("id") ? to_int(*q("id")) : std::nullopt;
    if (!id) return error_json(400, "id must be a number");
    auto err = inst->remove_domain(*id);
    if (!err.empty()) return error_json(err.rfind("unknown", 0) == 0 ? 404 : 409, err);
    return ok_json(R"({"ok":true})");
  }

  if (path == "/control/device" && req.method == "DELETE") {
    auto inst = instance_of();
    if (!inst) return error_json(404, "unknown instance");
    auto id = q("id") ? to_int(*q("id")) : std::nullopt;
    if (!id) return error_json(400, "id must be a number");
    if (!inst->remove_device(*id)) return error_json(404, "unknown device id");
    return ok_json(R"({"ok":true})");
  }

  if (path == "/control/phones/clock" && post) {
    // Every live phone at once: a load benchmark switches all screens between changing once a
    // second and standing still (only the minute changes).
    auto seconds = q("seconds") ? to_bool(*q("seconds")) : std::nullopt;
    if (!seconds) return error_json(400, "needs seconds=true|false");
    auto phones = fleet_.phones();
    for (auto& phone : phones)
      phone->with_phone([on = *seconds](sim_phone::phone_web& w) { w.ui().set_clock_seconds(on); });
    return ok_json(R"({"ok":true,"phones":)" + std::to_string(phones.size()) + "}");
  }

  if (path == "/control/phone/online" && post) {
    auto hw = q("hwId");
    auto online = q("online") ? to_bool(*q("online")) : std::nullopt;
    if (!hw || !online) return error_json(400, "needs hwId and online=true|false");
    if (auto phone = fleet_.find(*hw)) {
      phone->set_online(*online);
      return ok_json(R"({"ok":true,"live":true})");
    }
    auto inst = app_.find_device(*hw);
    if (!inst || !inst->set_online_flag(*hw, *online)) return error_json(404, "unknown device");
    return ok_json(R"({"ok":true,"live":false})");
  }

  if (path == "/control/devices/restart" && post) {
    auto inst = instance_of();
    if (!inst) return error_json(404, "unknown instance");
    auto down = q("down_ms") ? to_int(*q("down_ms")) : std::optional<std::int64_t>(1000);
    auto changes = q("change") ? to_int(*q("change")) : std::optional<std::int64_t>(0);
    if (!down || *down < 0 || *down > 600000 || !changes || *changes < 0 || *changes > 100000)
      return error_json(400, "down_ms must be 0..600000 and change 0..100000");
    auto rep = inst->restart(std::chrono::milliseconds(*down), static_cast<int>(*changes));
    json::json_writer w;
    w.begin_object()
      .member("ok", true)
      .member("instance", inst->name())
      .member("servicesDropped", rep.services_dropped)
      .member("sysclientsDropped", rep.sysclients_dropped);
    w.key("changes").begin_array();
    for (auto& c : rep.changes) w.value(c);
    w.end_array().end_object();
    return ok_json(w.take());
  }

  if ((path == "/control/tls" && get) || (path == "/control/tls/renew" && post)) {
    std::string json, err;
    if (!hooks_.tls || !hooks_.tls(post, json, err)) return error_json(409, err.empty() ? "no TLS here" : err);
    return ok_json(json);
  }

  if (path == "/control/pbx/drop" && post) {
    auto pbx = q("pbx");
    if (!pbx) return error_json(400, "needs pbx=<system name>");
    if (!hooks_.drop_pbx || !hooks_.drop_pbx(*pbx)) return error_json(404, "unknown pbx");
    return ok_json(R"({"ok":true})");
  }

  if (path == "/control/passthrough" && post) {
    auto delay = q("delay_ms") ? to_int(*q("delay_ms")) : std::optional<std::int64_t>(0);
    auto broken = q("broken") ? to_bool(*q("broken")) : std::optional<bool>(false);
    if (!delay || *delay < 0 || *delay > 600000 || !broken)
      return error_json(400, "delay_ms must be 0..600000 and broken true|false");
    auto name = q("instance");
    for (auto& inst : app_.instances())
      if (!name || name->empty() || inst->name() == *name)
        inst->set_passthrough_fault(std::chrono::milliseconds(*delay), *broken);
    return ok_json(R"({"ok":true})");
  }

  if (path == "/control/devices/fault" && post) {
    auto list = parse_list_fault(q("list").value_or("none"));
    if (!list) return error_json(400, "list must be none|garbage|half|cut");
    auto name = q("instance");
    bool found = false;
    for (auto& inst : app_.instances())
      if (!name || name->empty() || inst->name() == *name) {
        inst->set_list_fault(*list);
        found = true;
      }
    if (!found) return error_json(404, "unknown instance");
    return ok_json(std::string(R"({"ok":true,"list":")") + to_string(*list) + "\"}");
  }

  if (path == "/control/phone/fault" && post) {
    auto hw = q("hwId");
    auto mode = parse_phone_fault(q("mode").value_or("none"));
    if (!hw || !mode) return error_json(400, "needs hwId and mode=none|garbage|silent");
    auto phone = fleet_.find(*hw);
    if (!phone) return error_json(404, "no live phone with this hwId");
    phone->set_fault(*mode);
    return ok_json(std::string(R"({"ok":true,"mode":")") + to_string(*mode) + "\"}");
  }

  if (path == "/control/registration" && post) {
    auto hw = q("hwId");
    auto slot = q("slot") ? to_int(*q("slot")) : std::optional<std::int64_t>(0);
    auto state = q("state") ? parse_reg_state(*q("state")) : std::nullopt;
    if (!hw || !slot || !state) return error_json(400, "needs hwId, slot and state=up|not-configured|disabled|failed");
    auto phone = fleet_.find(*hw);
    if (!phone) return error_json(404, "no live phone with this hwId");
    bool ok = phone->with_phone(
      [&](sim_phone::phone_web& w) { return w.ui().set_registration_state(static_cast<int>(*slot), *state); });
    if (!ok) return error_json(400, "bad slot");
    return ok_json(R"({"ok":true})");
  }

  if (path == "/control/counters" && get) {
    auto hw = q("hwId");
    if (!hw) return error_json(400, "needs hwId");
    auto phone = fleet_.find(*hw);
    if (!phone) return error_json(404, "no live phone with this hwId");
    return ok_json(phone->counters_json());
  }

  return error_json(404, "unknown control request " + req.method + " " + path);
}

net::http_reply control_api::state() const {
  json::json_writer w;
  std::size_t domains = 0, devices = 0;
  w.begin_object();
  w.key("instances").begin_array();
  for (auto& inst : app_.instances()) {
    auto st = inst->statistics();
    domains += st.domains;
    devices += st.devices;
    w.begin_object()
      .member("name", inst->name())
      .member("domain", inst->domain())
      .member("path", inst->path())
      .member("password", inst->password())
      .member("down", st.down)
      .member("domains", st.domains)
      .member("devices", st.devices)
      .member("online", st.online)
      .member("unassigned", st.unassigned)
      .member("serviceSessions", st.service_sessions)
      .member("sysclients", st.sysclients)
      .member("passthroughs", st.passthroughs)
      .member("listFault", to_string(st.list))
      .end_object();
  }
  w.end_array();
  w.member("domains", domains).member("devices", devices);
  auto phones = fleet_.phones();
  std::size_t connected = 0;
  for (auto& p : phones) connected += p->connected();
  w.key("livePhones").begin_object().member("total", phones.size()).member("connected", connected);
  w.key("phones").begin_array();
  for (auto& p : phones) {
    auto product = p->with_phone([](sim_phone::phone_web& web) { return web.identity().product; });
    auto inst = app_.find_device(p->hw_id());
    w.begin_object()
      .member("hwId", p->hw_id())
      .member("product", product)
      .member("instance", inst ? inst->name() : std::string())
      .member("connected", p->connected())
      .member("enabled", p->enabled())
      .member("fault", to_string(p->fault()))
      .end_object();
  }
  w.end_array().end_object();
  w.key("links").raw(hooks_.pbx_states ? hooks_.pbx_states() : "[]");
  w.end_object();
  return ok_json(w.take());
}

net::http_reply control_api::post_domain(const net::http_request_info& req) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (p.parse(req.body).get(root) != simdjson::SUCCESS || root.get_object().get(obj) != simdjson::SUCCESS)
    return error_json(400, "body must be a JSON object");
  auto str = [&](std::string_view k) -> std::optional<std::string> {
    std::string_view v;
    if (obj[k].get_string().get(v) == simdjson::SUCCESS) return std::string(v);
    return std::nullopt;
  };
  std::shared_ptr<devices_instance> inst;
  if (auto name = str("instance"))
    inst = app_.find(*name);
  else if (!app_.instances().empty())
    inst = app_.instances().front();
  if (!inst) return error_json(404, "unknown instance");
  domain_change ch;
  std::int64_t id = 0;
  if (obj["id"].get_int64().get(id) == simdjson::SUCCESS) ch.id = id;
  ch.name = str("name");
  ch.password = str("password");
  ch.admin_password = str("adminPassword");
  bool deploy = false;
  if (obj["deployAdminPasswords"].get_bool().get(deploy) == simdjson::SUCCESS) ch.deploy_admin_passwords = deploy;
  auto r = inst->apply_domain(ch);
  if (!r.ok) return error_json(400, r.error);
  json::json_writer w;
  w.begin_object()
    .member("ok", true)
    .member("instance", inst->name())
    .member("id", r.id)
    .member("added", r.added)
    .end_object();
  return ok_json(w.take());
}

net::http_reply control_api::post_device(const net::http_request_info& req) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (p.parse(req.body).get(root) != simdjson::SUCCESS || root.get_object().get(obj) != simdjson::SUCCESS)
    return error_json(400, "body must be a JSON object");
  auto str = [&](std::string_view k) -> std::optional<std::string> {
    std::string_view v;
    if (obj[k].get_string().get(v) == simdjson::SUCCESS) return std::string(v);
    return std::nullopt;
  };
  auto num = [&](std::string_view k) -> std::optional<std::int64_t> {
    std::int64_t v = 0;
    if (obj[k].get_int64().get(v) == simdjson::SUCCESS) return v;
    return std::nullopt;
  };
  auto flag = [&](std::string_view k) -> std::optional<bool> {
    bool v = false;
    if (obj[k].get_bool().get(v) == simdjson::SUCCESS) return v;
    return std::nullopt;
  };
  std::shared_ptr<devices_instance> inst;
  if (auto name = str("instance"))
    inst = app_.find(*name);
  else if (auto hw = str("hwId"); hw && !num("id"))
    inst = app_.find_device(*hw);
  if (!inst && !str("instance") && !app_.instances().empty()) inst = app_.instances().front();
  if (!inst) return error_json(404, "unknown instance");

  device_change ch;
  ch.id = num("id");
  ch.hw_id = str("hwId");
  ch.name = str("name");
  ch.product = str("product");
  ch.version = str("version");
  ch.type = str("type");
  ch.ipv4 = str("ipv4");
  ch.domain_id = num("domainId");
  ch.pbx_active = flag("pbxActive");
  ch.online = flag("online");
  if (ch.hw_id && (ch.hw_id->empty() || ch.hw_id->size() > 64)) return error_json(400, "hwId must be 1..64 characters");
  auto r = inst->apply(ch);
  if (!r.ok) return error_json(400, r.error);
  bool live = flag("live").value_or(false);
  if (live) {
    auto row = inst->device_by_id(r.id);
    std::string err;
    if (!row || !hooks_.start_live_phone || !hooks_.start_live_phone(*inst, *row, err))
      return error_json(400, "device stored, but no live phone: " + (err.empty() ? "not supported here" : err));
  }
  json::json_writer w;
  w.begin_object()
    .member("ok", true)
    .member("instance", inst->name())
    .member("id", r.id)
    .member("added", r.added)
    .member("live", live)
    .end_object();
  return ok_json(w.take());
}

} // namespace mpk::sim
