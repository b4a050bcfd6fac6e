#include "services/gateway/delta_encoding.hpp"

#include "common/json/writer.hpp"
#include "services/gateway/client_state.hpp"

namespace mpk::gateway {

std::string filter_identity(const device_query& q) {
  // Length-prefixed parts: no tenant, domain or search text can be made to read as another part.
  std::string key;
  auto part = [&key](const std::string& s) {
    key += std::to_string(s.size());
    key += ':';
    key += s;
  };
  key += "t" + std::to_string(q.tenants.size());
  for (const auto& t : q.tenants) part(t);
  part(q.domain);
  key += std::to_string(static_cast<int>(q.online));
  key += ';';
  part(q.search);
  return key;
}

std::string delta_body(std::uint64_t seq, std::uint64_t from, const std::vector<const encoded_device*>& added,
                       const std::vector<const encoded_device*>& changed,
                       const std::vector<const encoded_device*>& removed) {
  std::size_t n = 64;
  for (const auto* v : {&added, &changed, &removed})
    for (const auto* d : *v) n += d->json->size() + 1;
  std::string out;
  out.reserve(n);
  out += "\"seq\":";
  out += std::to_string(seq);
  if (from) {
    out += ",\"from\":";
    out += std::to_string(from);
  }
  auto list = [&out](const char* key, const std::vector<const encoded_device*>& v) {
    out += key;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      out += *v[i]->json;
    }
    out += ']';
  };
  list(",\"added\":[", added);
  list(",\"changed\":[", changed);
  list(",\"removed\":[", removed);
  out += '}';
  return out;
}

std::shared_ptr<const encoded_delta> delta_encoding_cache::get(const caf::actor_addr& source, const std::string& filter,
                                                               const device_delta& delta,
                                                               const models::catalog* catalog) {
  seq_key key{source, delta.seq};
  // Devices some other filter of the same seq already encoded (looked up under the lock,
  // encoded outside it so that clients of other filters are not held up).
  std::vector<std::shared_ptr<const std::string>> known_added, known_changed; // (sized on a miss only)
  {
    std::lock_guard<std::mutex> g{m_};
    auto e = entries_.find(key);
    if (e != entries_.end()) {
      if (auto f = e->second.by_filter.find(filter); f != e->second.by_filter.end()) {
        ++hits_;
        return f->second;
      }
      known_added.resize(delta.added.size());
      known_changed.resize(delta.changed.size());
      auto look = [&](const std::vector<device_record>& recs, std::vector<std::shared_ptr<const std::string>>& out) {
        for (std::size_t i = 0; i < recs.size(); ++i)
          if (auto d = e->second.devices.find(recs[i].id); d != e->second.devices.end()) out[i] = d->second;
      };
      look(delta.added, known_added);
      look(delta.changed, known_changed);
    }
  }

  known_added.resize(delta.added.size());
  known_changed.resize(delta.changed.size());
  auto enc = std::make_shared<encoded_delta>();
  enc->seq = delta.seq;
  std::uint64_t encoded = 0;
  auto encode = [&](const std::vector<device_record>& recs, std::vector<std::shared_ptr<const std::string>>& known,
                    std::vector<encoded_device>& out) {
    out.reserve(recs.size());
    for (std::size_t i = 0; i < recs.size(); ++i) {
      if (!known[i]) {
        json::json_writer w;
        w.reserve(320);
        write_device(w, recs[i], catalog);
        known[i] = std::make_shared<const std::string>(w.take());
        ++encoded;
      }
      out.push_back({recs[i].id, known[i]});
    }
  };
  encode(delta.added, known_added, enc->added);
  encode(delta.changed, known_changed, enc->changed);
  enc->removed.reserve(delta.removed.size());
  for (const auto& r : delta.removed) {
    json::json_writer w;
    w.value(r.id);
    enc->removed.push_back({r.id, std::make_shared<const std::string>(w.take())});
  }
  auto ptrs = [](const std::vector<encoded_device>& v) {
    std::vector<const encoded_device*> p;
    p.reserve(v.size());
    for (const auto& d : v) p.push_back(&d);
    return p;
  };
  enc->body = std::make_shared<const std::string>(
    delta_body(delta.seq, 0, ptrs(enc->added), ptrs(enc->changed), ptrs(enc->removed)));

  std::lock_guard<std::mutex> g{m_};
  device_encodings_ += encoded;
  auto [e, fresh] = entries_.try_emplace(key);
  if (fresh) {
    order_.push_back(key);
    while (order_.size() > max_seqs_) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
    e = entries_.find(key); // (never the one dropped: it is the newest)
  }
  for (const auto* v : {&enc->added, &enc->changed})
    for (const auto& d : *v) e->second.devices.emplace(d.id, d.json);
  // Another client of the same filter may have been quicker: everyone shares the first one.
  auto [f, inserted] = e->second.by_filter.emplace(filter, enc);
  return f->second;
}

std::size_t delta_encoding_cache::seqs() const {
  std::lock_guard<std::mutex> g{m_};
  return entries_.size();
}

std::uint64_t delta_encoding_cache::hits() const {
  std::lock_guard<std::mutex> g{m_};
  return hits_;
}

std::uint64_t delta_encoding_cache::device_encodings() const {
  std::lock_guard<std::mutex> g{m_};
  return device_encodings_;
}

} // namespace mpk::gateway
