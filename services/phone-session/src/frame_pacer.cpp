#include "services/phone-session/src/frame_pacer.hpp"

#include "services/phone-session/lcd/diff.hpp"
#include "services/phone-session/lcd/frame_encoder.hpp"
#include "services/phone-session/src/frame_wire.hpp"

namespace mpk::session {

using encode_cache = std::map<const lcd::image*, std::shared_ptr<const std::string>>;

std::vector<outgoing_frame> frame_pacer::add(watcher_id id) {
  std::vector<outgoing_frame> out;
  auto [it, fresh] = watchers_.try_emplace(id);
  if (!fresh) return out; // already watching: keep its pacing as it is
  encode_cache cache;
  update(id, it->second, cache, out);
  return out;
}

bool frame_pacer::remove(watcher_id id) { return watchers_.erase(id) != 0; }

bool frame_pacer::any_ready() const {
  for (const auto& [id, w] : watchers_)
    if (!w.awaiting_ack) return true;
  return false;
}

std::vector<outgoing_frame> frame_pacer::publish(lcd::image img) {
  std::vector<outgoing_frame> out;
  if (!img.valid()) return out;
  if (current_ && current_->width == img.width && current_->height == img.height && lcd::diff(*current_, img).empty())
    return out; // same pixels (e.g. a dump with other bytes but the same picture)
  current_ = std::make_shared<const lcd::image>(std::move(img));
  ++seq_;
  encode_cache cache;
  for (auto& [id, w] : watchers_)
    if (!w.awaiting_ack) update(id, w, cache, out);
  return out;
}

std::vector<outgoing_frame> frame_pacer::ack(watcher_id id, std::uint32_t seq) {
  std::vector<outgoing_frame> out;
  auto it = watchers_.find(id);
  if (it == watchers_.end() || !it->second.awaiting_ack || it->second.last_sent != seq) return out;
  it->second.awaiting_ack = false;
  encode_cache cache;
  update(id, it->second, cache, out);
  return out;
}

std::vector<outgoing_frame> frame_pacer::resend_unacked(clock::time_point now, clock::duration timeout) {
  std::vector<outgoing_frame> out;
  encode_cache cache;
  for (auto& [id, w] : watchers_) {
    if (!w.awaiting_ack || now - w.sent_at < timeout) continue;
    // What it shows is unknown now: a full frame, not a delta against a picture it may lack.
    w.shows.reset();
    w.awaiting_ack = false;
    update(id, w, cache, out);
  }
  return out;
}

bool frame_pacer::any_awaiting() const {
  for (const auto& [id, w] : watchers_)
    if (w.awaiting_ack) return true;
  return false;
}

void frame_pacer::reset() {
  current_.reset();
  for (auto& [id, w] : watchers_) {
    w.shows.reset();
    w.awaiting_ack = false;
  }
}

void frame_pacer::update(watcher_id id, watcher& w, encode_cache& cache, std::vector<outgoing_frame>& out) {
  if (!current_ || w.shows == current_) return;
  const lcd::image* base = w.shows.get();
  auto hit = cache.find(base);
  std::shared_ptr<const std::string> bytes;
  bool full = base == nullptr;
  if (hit != cache.end()) {
    bytes = hit->second;
  } else {
    auto f = lcd::encode_frame(base, *current_);
    full = f.full;
    if (!f.png.empty()) {
      if (auto wire = encode_lcd_frame(device_, seq_, current_->width, current_->height, f))
        bytes = std::make_shared<const std::string>(std::move(*wire));
    }
    cache.emplace(base, bytes);
  }
  if (!bytes) {
    // Nothing to draw: the watcher already shows these pixels (the screen went back to a
    // picture it has), or the frame cannot be expressed. Either way it is up to date now.
    w.shows = current_;
    return;
  }
  if (hit != cache.end())
    full = static_cast<unsigned char>((*bytes)[1]) == static_cast<unsigned char>(frame_codec::png_full);
  w.shows = current_;
  w.last_sent = seq_;
  w.awaiting_ack = true;
  w.sent_at = clock::now();
  ++frames_sent_;
  out.push_back(outgoing_frame{id, seq_, full, std::move(bytes)});
}

} // namespace mpk::session
