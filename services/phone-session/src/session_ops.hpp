#pragma once
/// The steps of a phone_session, shared by its translation units (phone_session.cpp: FSM,
/// watchers, operations; session_loop.cpp: LCD and registration polling).

#include "common/actors/atoms.hpp"
#include "services/phone-session/src/session_state.hpp"

#include <caf/behavior.hpp>

#include <string>
#include <vector>

namespace mpk::session {

// -- phone_session.cpp -------------------------------------------------------------

/// Tells every watcher the phone's state, unless it did not change.
void broadcast_state(session_actor* self, phone_state s, std::string reason);
void send_frames(session_actor* self, const std::vector<outgoing_frame>& frames);
/// Arms the lost-frame check (phone_options::ack_timeout) unless one is armed.
void arm_ack_check(session_actor* self);
/// The lost-frame check: watchers whose last frame waited ack_timeout for its ack get a full frame again.
void on_ack_check(session_actor* self, std::uint64_t epoch);
void send_event(session_actor* self, const std::string& mt, const std::string& json);
/// A new target (from the registry or a re-ask): switches link and FSM state as needed.
void apply_target(session_actor* self, phone_target t);
/// Base URL usable and the phone online.
bool reachable(const phone_target& t);

// -- wire forms (phone_session.cpp) ---------------------------------------------------------

/// Takes the wire data in force and what was learned for this model and version from the
/// node's wire memory (at start and after a reload).
void load_wire(session_actor* self);
/// The path of a candidate without placeholders (lcd, registrations, info).
std::string form_path(const models::wire_candidate& c);
/// A candidate of `entry` worked: remembered for the model and version, and logged.
void remember_form(session_actor* self, const std::string& entry, std::size_t index);
/// An answer as the judge sees it.
wire::answer answer_of(const relayed_http& r);

/// Sends one passthrough exchange; the answer comes back as (Tag..., relayed_http) with
/// status 0 and `error` set when no HTTP response arrived.
template <class... Tags>
void passthrough_fetch(session_actor* self, std::string method, const std::string& path, std::string body,
                       std::size_t max_body, Tags... tags);

// -- session_keys.cpp ---------------------------------------------------------------

/// The operators' labels of this phone from the node's store (at the start).
void load_key_labels(session_actor* self);
/// SetKeyLabels: checks, stores and shows them to every watcher; works while offline too.
command_result set_key_labels(session_actor* self, const phone_command& cmd);
/// Recomputes KeyStates and sends it to every watcher when it changed.
void publish_key_states(session_actor* self);
/// KeyStates for a new watcher (nothing when there is nothing to show).
void send_key_states(session_actor* self, const phone_watcher_actor& watcher);

// -- session_loop.cpp ---------------------------------------------------------------

/// Arms the LCD poll when it is due: a watcher is ready (or a refresh was asked), no poll is
/// running, at most one poll per min_interval, with backoff after failures.
void schedule_poll(session_actor* self);
/// Poll at min_interval again (a key was pressed, a watcher came).
void speed_up_polling(session_actor* self);
/// The screen was unchanged: the gap grows by half, up to idle_interval.
void slow_down_polling(session_actor* self);
void on_poll_tick(session_actor* self, std::uint64_t epoch);
/// `candidate`: the LCD candidate the poll was sent with.
void on_poll_result(session_actor* self, std::uint64_t gen, std::uint64_t candidate, relayed_http r);
/// Starts a registration poll chain now unless one is running (restart: a new link).

// -- session_reads.cpp -------------------------------------------------------------------

/// Starts the poll chain of every read entry the model has (registrations; function keys when it
/// has any) unless one is running (restart: a new link).
void start_reads(session_actor* self, bool restart);
/// Ends every read chain (offline): late ticks and answers are dropped.
void stop_reads(session_actor* self);
/// A read entry's answer may be looked for again (new wire data): "not spoken" is logged anew.
void reset_reads(session_actor* self);
void on_read_tick(session_actor* self, const std::string& entry, std::uint64_t epoch);
void on_read_result(session_actor* self, const std::string& entry, std::uint64_t gen, std::uint64_t candidate,
                    relayed_http r);
/// A poll failed: tell watchers, ask the registry for a fresh key if it looks stale.
void on_link_failure(session_actor* self, const std::string& reason, phone_state state, bool new_key_needed);

} // namespace mpk::session

// -- template definitions --------------------------------------------------------------

#include "common/net/http_client.hpp"
#include "services/phone-session/src/passthrough.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

namespace mpk::session {

template <class... Tags>
void passthrough_fetch(session_actor* self, std::string method, const std::string& path, std::string body,
                       std::size_t max_body, Tags... tags) {
  auto& st = self->state;
  net::http_fetch_request req;
  req.method = std::move(method);
  req.url = join_url(st.target.base_url, path);
  req.body = std::move(body);
  req.timeout = st.cfg.opts.request_timeout;
  req.max_body_bytes = max_body;
  req.tls = st.cfg.opts.tls;
  req.tls.pin = st.target.tls_pin; // the registry's pin of this phone's Devices instance
  // The callback runs on an Asio thread: it only sends a message back, never touches state.
  auto me = caf::actor_cast<caf::actor>(self);
  net::fetch(*st.cfg.opts.io, std::move(req), [me, base = st.target.base_url, tags...](net::http_fetch_result r) {
    relayed_http h;
    h.status = r.ok ? r.status : 0;
    h.content_type = std::move(r.content_type);
    h.body = std::move(r.body);
    if (!r.ok) h.error = without_secret(r.error.empty() ? std::string("no response") : r.error, base);
    caf::anon_send(me, tags..., std::move(h));
  });
}

} // namespace mpk::session
