#pragma once
/// The conversation with one Devices instance after a successful AppLogin (docs/spec/devices-api.md
/// §2, §6, §9): GetUserInfo (GetLoginInfo as fallback) for the passthrough key, GetDomains and
/// GetDevices with recvUpdates, chunks concatenated until `last:true`, pushes that arrive
/// meanwhile buffered and applied afterwards; then every push becomes a delta. Pure logic:
/// frames in, frames to send and link_updates out.

#include "common/actors/messages.hpp"
#include "common/json/envelope.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::registry {

class devices_sync {
public:
  enum class phase { user_info, login_info, domains, devices, live };

  /// `max_frame` bounds one incoming frame (a chunk of a big device list).
  devices_sync(std::string link, std::string tenant, std::string service_url, std::size_t max_frame = 16u << 20);

  /// The first request to send (GetUserInfo).
  std::string start();

  struct result {
    std::vector<std::string> send; ///< frames to send now, in order
    bool snapshot_ready = false;   ///< the complete model is ready: take_snapshot()
    std::string fatal;             ///< the session cannot go on (reconnect); plain words
    std::string ignored;           ///< a frame was ignored and why (for the log)
  };

  /// One text frame from the instance. Never throws; garbage is ignored (see result::ignored).
  result on_frame(std::string_view frame);

  /// No answer to GetUserInfo / GetLoginInfo in time (an instance that ignores unknown
  /// requests): GetLoginInfo is tried next, then the load goes on without a passthrough key.
  result on_no_answer();
  /// True while a user info request is outstanding (the caller times it).
  bool awaiting_user_info() const { return phase_ == phase::user_info || phase_ == phase::login_info; }

  /// The snapshot (kind "snapshot", state "up") once; the load buffers are freed.
  link_update take_snapshot();
  /// Pushes applied since the last take_delta(), merged per id (kind "delta", state "up").
  bool has_delta() const;
  link_update take_delta();

  phase current() const { return phase_; }
  const std::string& key() const { return key_; }
  bool admin() const { return admin_; }
  /// From the first device `uri`, else from the service URL.
  const std::string& passthrough_base() const { return base_; }
  std::size_t frames_ignored() const { return ignored_; }
  /// Devices of the list being loaded so far (chunks before `last:true`).
  std::size_t devices_loaded() const { return loaded_; }

private:
  /// Where a record of the load model is: its chunk and its position there.
  struct load_slot {
    std::int64_t number = 0;
    std::uint32_t chunk = 0, pos = 0;
  };

  void on_user_info(const json::envelope& env, result& r);
  /// GetLoginInfo after GetUserInfo failed, or GetDomains (without key) after both did.
  void user_info_failed(result& r);
  void request_domains(result& r);
  void on_domains(const json::envelope& env, result& r);
  void on_devices(const json::envelope& env, result& r);
  /// A push; during the load it is buffered, afterwards applied.
  void on_push(const json::envelope& env, result& r);
  void apply_push(const json::envelope& env, bool into_delta, result& r);
  /// Devices of a chunk or push into the load model (loading) or the delta (live).
  void take_devices(const json::envelope& env, const char* member, bool into_delta);
  void learn_base(const device_record& d, const std::string& uri);
  void upsert_delta(device_record d);
  /// Sorts the load model's slots by device number, dropping all but the last of a number.
  void index_load();
  /// The position in by_number_ of the device number (or where it would go).
  std::vector<load_slot>::iterator find_load(std::int64_t device_id);
  device_record& record_at(const load_slot& s) { return chunks_[s.chunk][s.pos]; }
  void upsert_load(device_record d);
  void remove_load(std::int64_t device_id);
  void remove_delta(const std::string& id);
  void finish_load(result& r);
  std::string next_src(std::string_view what);

  std::string link_, tenant_, url_;
  json::envelope_parser parser_;
  phase phase_ = phase::user_info;
  std::string key_, base_;
  bool base_from_uri_ = false;
  bool admin_ = false;
  std::uint64_t src_counter_ = 0;
  std::string expect_src_; ///< src of the list request being assembled
  std::size_t ignored_ = 0;

  std::map<std::string, domain_summary> domains_; ///< by registry domain id
  /// The load model: records in arrival order, in the chunks they came in (a 100,000-device list
  /// costs one exact-size vector per GetDevicesResult, not 100,000 tree or hash nodes). The
  /// snapshot hands the chunks on as they are: one vector of every record would be ~37 MB of
  /// fresh pages (a page fault each) and a move of every record, only to be freed again. Pushes
  /// that came during the load and name a new device go to a chunk of their own at the end.
  std::vector<std::vector<device_record>> chunks_;
  std::size_t loaded_ = 0; ///< records in chunks_
  /// At the end of the load: one slot per device number, sorted by number (a later chunk wins),
  /// so that the buffered pushes find their device. `dropped_` (per chunk) marks records left out
  /// of the snapshot.
  std::vector<load_slot> by_number_;
  std::vector<std::vector<char>> dropped_;
  static constexpr std::size_t no_chunk = static_cast<std::size_t>(-1);
  std::size_t push_chunk_ = no_chunk; ///< the chunk of new devices pushed during the load
  std::vector<std::string> buffered_; ///< pushes that came during the load

  std::map<std::string, device_record> delta_devices_;
  std::set<std::string> delta_removed_;
  std::map<std::string, domain_summary> delta_domains_;
  std::set<std::string> delta_removed_domains_;
};

} // namespace mpk::registry
