#include "services/registry/devices_sync.hpp"

#include "common/json/writer.hpp"
#include "services/registry/device_parse.hpp"

#include <algorithm>
#include <iterator>

namespace mpk::registry {

namespace {

bool is_push(std::string_view mt) {
  return mt == "DeviceUpdate" || mt == "DeviceAdded" || mt == "DeviceRemoved" || mt == "DomainUpdate" ||
         mt == "DomainAdded" || mt == "DomainRemoved";
}

/// The number after the last ':' of a registry id ("t/devices:12" → "12").
std::string_view number_of(const std::string& scoped) {
  auto colon = scoped.rfind(':');
  return colon == std::string::npos ? std::string_view(scoped) : std::string_view(scoped).substr(colon + 1);
}

std::string error_text(const json::envelope& env) {
  std::string e(env.string("error").value_or(""));
  if (auto t = env.string("errorText"); t && !t->empty()) e += (e.empty() ? "" : ": ") + std::string(*t);
  if (e.empty() && env.has("error")) e = "error";
  return e;
}

} // namespace

devices_sync::devices_sync(std::string link, std::string tenant, std::string service_url, std::size_t max_frame)
    : link_(std::move(link)), tenant_(std::move(tenant)), url_(std::move(service_url)), parser_(max_frame) {
  base_ = passthrough_base_from_url(url_);
}

std::string devices_sync::next_src(std::string_view what) { return std::string(what) + std::to_string(++src_counter_); }

std::string devices_sync::start() {
  phase_ = phase::user_info;
  expect_src_ = next_src("ui");
  json::json_writer w;
  w.begin_object().member("mt", "GetUserInfo").member("src", expect_src_).end_object();
  return w.take();
}

devices_sync::result devices_sync::on_frame(std::string_view frame) {
  result r;
  json::envelope_errc err{};
  const json::envelope* env = parser_.parse(frame, err);
  if (!env) {
    ++ignored_;
    r.ignored = std::string(json::describe(err));
    return r;
  }
  auto mt = env->mt();
  if (is_push(mt)) {
    on_push(*env, r);
    return r;
  }
  switch (phase_) {
    case phase::user_info:
      if (mt == "GetUserInfoResult") {
        on_user_info(*env, r);
        return r;
      }
      break;
    case phase::login_info:
      if (mt == "GetLoginInfoResult") {
        on_user_info(*env, r);
        return r;
      }
      break;
    case phase::domains:
      if (mt == "GetDomainsResult") {
        on_domains(*env, r);
        return r;
      }
      break;
    case phase::devices:
      if (mt == "GetDevicesResult") {
        on_devices(*env, r);
        return r;
      }
      break;
    case phase::live:
      if (mt == "GetDevicesResult") {
        // The list of a domain added while we were live (or a late chunk): upserts.
        if (env->has("error"))
          r.ignored = "GetDevicesResult error: " + error_text(*env);
        else
          take_devices(*env, "devices", true);
        return r;
      }
      break;
  }
  ++ignored_;
  r.ignored = "unexpected " + std::string(mt);
  return r;
}

devices_sync::result devices_sync::on_no_answer() {
  result r;
  if (awaiting_user_info()) user_info_failed(r);
  return r;
}

void devices_sync::user_info_failed(result& r) {
  if (phase_ == phase::user_info) {
    // 13r1 names it GetLoginInfo (docs/spec/devices-api.md §2.1).
    phase_ = phase::login_info;
    expect_src_ = next_src("li");
    json::json_writer w;
    w.begin_object().member("mt", "GetLoginInfo").member("src", expect_src_).end_object();
    r.send.push_back(w.take());
    return;
  }
  r.ignored = "no passthrough key from GetUserInfo/GetLoginInfo";
  request_domains(r);
}

void devices_sync::on_user_info(const json::envelope& env, result& r) {
  auto key = env.string("key");
  if (env.has("error") || !key || key->empty()) return user_info_failed(r);
  key_ = std::string(*key);
  admin_ = env.boolean("admin").value_or(false);
  request_domains(r);
}

void devices_sync::request_domains(result& r) {
  phase_ = phase::domains;
  expect_src_ = next_src("dom");
  json::json_writer w;
  w.begin_object().member("mt", "GetDomains").member("recvUpdates", true).member("src", expect_src_).end_object();
  r.send.push_back(w.take());
}

void devices_sync::on_domains(const json::envelope& env, result& r) {
  if (env.has_src() && env.src() != expect_src_) {
    r.ignored = "GetDomainsResult of another request";
    return;
  }
  if (env.has("error")) {
    r.fatal = "GetDomains failed: " + error_text(env);
    return;
  }
  simdjson::dom::array arr;
  if (env.root()["domains"].get_array().get(arr) == simdjson::SUCCESS) {
    for (auto el : arr)
      if (auto d = parse_domain(el, link_)) domains_[d->id] = std::move(*d);
  }
  if (!env.boolean("last").value_or(true)) return;
  std::string ids;
  for (const auto& [id, d] : domains_) {
    if (!ids.empty()) ids += ',';
    ids += number_of(id);
  }
  phase_ = phase::devices;
  expect_src_ = next_src("dev");
  json::json_writer w;
  w.begin_object()
    .member("mt", "GetDevices")
    .member("recvUpdates", true)
    .member("domainIds", ids)
    .member("src", expect_src_)
    .end_object();
  r.send.push_back(w.take());
}

void devices_sync::on_devices(const json::envelope& env, result& r) {
  if (env.has_src() && env.src() != expect_src_) {
    r.ignored = "GetDevicesResult of another request";
    return;
  }
  if (env.has("error")) {
    r.fatal = "GetDevices failed: " + error_text(env);
    return;
  }
  take_devices(env, "devices", false);
  if (env.boolean("last").value_or(true)) finish_load(r);
}

void devices_sync::finish_load(result& r) {
  phase_ = phase::live;
  index_load();
  // Pushes that came during the load are newer than the chunks: apply them now, in order.
  auto pending = std::move(buffered_);
  buffered_.clear();
  for (const auto& text : pending) {
    json::envelope_errc err{};
    if (const auto* env = parser_.parse(text, err)) apply_push(*env, false, r);
  }
  r.snapshot_ready = true;
}

void devices_sync::on_push(const json::envelope& env, result& r) {
  if (phase_ != phase::live) {
    buffered_.emplace_back(env.text());
    return;
  }
  apply_push(env, true, r);
}

void devices_sync::apply_push(const json::envelope& env, bool into_delta, result& r) {
  auto mt = env.mt();
  bool device = mt.substr(0, 6) == "Device";
  bool removed = mt == "DeviceRemoved" || mt == "DomainRemoved";
  simdjson::dom::element el;
  if (env.root()[device ? "device" : "domain"].get(el) != simdjson::SUCCESS || !el.is_object()) {
    ++ignored_;
    r.ignored = std::string(mt) + " without " + (device ? "device" : "domain");
    return;
  }
  if (device) {
    std::string uri;
    auto d = parse_device(el, link_, &uri);
    if (!d) {
      ++ignored_;
      r.ignored = std::string(mt) + " without a device id";
      return;
    }
    if (removed) {
      if (into_delta)
        remove_delta(d->id);
      else
        remove_load(d->device_id);
      return;
    }
    learn_base(*d, uri);
    if (into_delta)
      upsert_delta(std::move(*d));
    else
      upsert_load(std::move(*d));
    return;
  }
  auto d = parse_domain(el, link_);
  if (!d) {
    ++ignored_;
    r.ignored = std::string(mt) + " without a domain id";
    return;
  }
  if (removed) {
    domains_.erase(d->id);
    if (into_delta) {
      delta_domains_.erase(d->id);
      delta_removed_domains_.insert(d->id);
    }
    return;
  }
  bool is_new = domains_.count(d->id) == 0;
  domains_[d->id] = *d;
  if (!into_delta) return;
  delta_removed_domains_.erase(d->id);
  if (is_new) {
    // Our device pushes cover the domains we asked for: ask for the new one too (with updates).
    json::json_writer w;
    w.begin_object()
      .member("mt", "GetDevices")
      .member("recvUpdates", true)
      .member("domainIds", std::string(number_of(d->id)))
      .member("src", next_src("devx"))
      .end_object();
    r.send.push_back(w.take());
  }
  delta_domains_[d->id] = std::move(*d);
}

void devices_sync::take_devices(const json::envelope& env, const char* member, bool into_delta) {
  simdjson::dom::array arr;
  if (env.root()[member].get_array().get(arr) != simdjson::SUCCESS) return;
  std::string uri;
  std::vector<device_record>* chunk = nullptr;
  if (!into_delta) {
    chunk = &chunks_.emplace_back();
    chunk->reserve(arr.size());
  }
  for (auto el : arr) {
    auto d = parse_device(el, link_, &uri);
    if (!d) {
      ++ignored_;
      continue;
    }
    learn_base(*d, uri);
    if (into_delta)
      upsert_delta(std::move(*d));
    else
      chunk->push_back(std::move(*d)); // duplicates are sorted out at the end (index_load)
  }
  if (chunk) loaded_ += chunk->size();
}

void devices_sync::learn_base(const device_record& d, const std::string& uri) {
  if (base_from_uri_ || uri.empty()) return;
  auto b = passthrough_base_from_uri(uri, d.hw_id, key_);
  if (b.empty()) return;
  base_ = std::move(b);
  base_from_uri_ = true;
}

void devices_sync::index_load() {
  by_number_.clear();
  by_number_.reserve(loaded_);
  dropped_.resize(chunks_.size());
  for (std::size_t c = 0; c < chunks_.size(); ++c) {
    dropped_[c].assign(chunks_[c].size(), 0);
    for (std::size_t p = 0; p < chunks_[c].size(); ++p)
      by_number_.push_back({chunks_[c][p].device_id, static_cast<std::uint32_t>(c), static_cast<std::uint32_t>(p)});
  }
  // By number, then in arrival order (chunk, position).
  std::sort(by_number_.begin(), by_number_.end(), [](const load_slot& a, const load_slot& b) {
    if (a.number != b.number) return a.number < b.number;
    return a.chunk != b.chunk ? a.chunk < b.chunk : a.pos < b.pos;
  });
  // A number listed twice (a device moved between chunks): the later record wins.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < by_number_.size(); ++i) {
    bool later_same = i + 1 < by_number_.size() && by_number_[i + 1].number == by_number_[i].number;
    if (later_same)
      dropped_[by_number_[i].chunk][by_number_[i].pos] = 1;
    else
      by_number_[kept++] = by_number_[i];
  }
  by_number_.resize(kept);
}

std::vector<devices_sync::load_slot>::iterator devices_sync::find_load(std::int64_t device_id) {
  return std::lower_bound(by_number_.begin(), by_number_.end(), device_id,
                          [](const load_slot& s, std::int64_t n) { return s.number < n; });
}

void devices_sync::upsert_load(device_record d) {
  auto it = find_load(d.device_id);
  if (it != by_number_.end() && it->number == d.device_id) {
    record_at(*it) = std::move(d); // a push is newer than the chunk
    return;
  }
  if (push_chunk_ == no_chunk) {
    push_chunk_ = chunks_.size();
    chunks_.emplace_back();
    dropped_.emplace_back();
  }
  auto& chunk = chunks_[push_chunk_];
  by_number_.insert(it,
                    {d.device_id, static_cast<std::uint32_t>(push_chunk_), static_cast<std::uint32_t>(chunk.size())});
  chunk.push_back(std::move(d));
  dropped_[push_chunk_].push_back(0);
  ++loaded_;
}

void devices_sync::remove_load(std::int64_t device_id) {
  auto it = find_load(device_id);
  if (it == by_number_.end() || it->number != device_id) return;
  dropped_[it->chunk][it->pos] = 1;
  by_number_.erase(it);
}

void devices_sync::upsert_delta(device_record d) {
  delta_removed_.erase(d.id);
  auto id = d.id;
  delta_devices_[id] = std::move(d);
}

void devices_sync::remove_delta(const std::string& id) {
  delta_devices_.erase(id);
  delta_removed_.insert(id);
}

link_update devices_sync::take_snapshot() {
  link_update u;
  u.link = link_;
  u.tenant = tenant_;
  u.kind = link_update_kind::snapshot;
  u.state = link_state::up;
  u.url = url_;
  u.passthrough_base = base_;
  u.key = key_;
  u.admin = admin_;
  u.domains.reserve(domains_.size());
  for (const auto& [id, d] : domains_) u.domains.push_back(d);
  // dropped_ has a flag per record once the load is indexed (finish_load); nothing is dropped before.
  for (std::size_t c = 0; c < chunks_.size() && c < dropped_.size(); ++c) {
    auto& chunk = chunks_[c];
    const auto& dropped = dropped_[c];
    if (std::find(dropped.begin(), dropped.end(), 1) == dropped.end()) continue;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (dropped[i]) continue;
      if (kept != i) chunk[kept] = std::move(chunk[i]);
      ++kept;
    }
    chunk.resize(kept);
  }
  u.device_chunks = std::move(chunks_);
  chunks_ = {};
  loaded_ = 0;
  push_chunk_ = no_chunk;
  by_number_ = {};
  dropped_ = {};
  return u;
}

bool devices_sync::has_delta() const {
  return !delta_devices_.empty() || !delta_removed_.empty() || !delta_domains_.empty() ||
         !delta_removed_domains_.empty();
}

link_update devices_sync::take_delta() {
  link_update u;
  u.link = link_;
  u.tenant = tenant_;
  u.kind = link_update_kind::delta;
  u.state = link_state::up;
  u.url = url_;
  u.passthrough_base = base_;
  u.key = key_;
  u.admin = admin_;
  for (auto& [id, d] : delta_domains_) u.domains.push_back(std::move(d));
  for (auto& [id, d] : delta_devices_) u.devices.push_back(std::move(d));
  u.removed_devices.assign(delta_removed_.begin(), delta_removed_.end());
  u.removed_domains.assign(delta_removed_domains_.begin(), delta_removed_domains_.end());
  delta_domains_.clear();
  delta_devices_.clear();
  delta_removed_.clear();
  delta_removed_domains_.clear();
  return u;
}

} // namespace mpk::registry
