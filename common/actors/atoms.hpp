#pragma once
// The type-ID block of the product: every atom and every message type, linked by every binary.
// A type missing on either side of a BASP link fails silently (CAF 0.17.6 delivers the message
// empty and keeps the connection up), so types are registered here and, for the typed handles
// that travel in messages, in the block that follows it in interfaces.hpp; system_config
// registers both, and nothing anywhere else.

#include "common/actors/messages.hpp"
#include "common/net/connection.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/type_id.hpp>

#include <memory>

CAF_BEGIN_TYPE_ID_BLOCK(mpk, caf::first_custom_type_id)

CAF_ADD_TYPE_ID(mpk, (mpk::device_record))
CAF_ADD_TYPE_ID(mpk, (std::vector<mpk::device_record>))
CAF_ADD_TYPE_ID(mpk, (mpk::domain_summary))
CAF_ADD_TYPE_ID(mpk, (std::vector<mpk::domain_summary>))
CAF_ADD_TYPE_ID(mpk, (mpk::device_query))
CAF_ADD_TYPE_ID(mpk, (mpk::device_page))
CAF_ADD_TYPE_ID(mpk, (mpk::device_delta))
CAF_ADD_TYPE_ID(mpk, (mpk::granted_service))
CAF_ADD_TYPE_ID(mpk, (std::vector<mpk::granted_service>))
CAF_ADD_TYPE_ID(mpk, (mpk::pbx_info))
CAF_ADD_TYPE_ID(mpk, (mpk::service_login))
CAF_ADD_TYPE_ID(mpk, (mpk::phone_target))
CAF_ADD_TYPE_ID(mpk, (mpk::actor_identity))
CAF_ADD_TYPE_ID(mpk, (mpk::phone_command))
CAF_ADD_TYPE_ID(mpk, (mpk::command_result))
CAF_ADD_TYPE_ID(mpk, (mpk::phone_event))
CAF_ADD_TYPE_ID(mpk, (mpk::lcd_frame))
CAF_ADD_TYPE_ID(mpk, (mpk::relayed_http))
CAF_ADD_TYPE_ID(mpk, (mpk::link_update))
CAF_ADD_TYPE_ID(mpk, (mpk::tenant_scope))
CAF_ADD_TYPE_ID(mpk, (mpk::audit_note))

// -- websocket bridge (local only) ----------------------------------------------
CAF_ADD_ATOM(mpk, mpk::atom, ws_open, "wsOpen")     ///< (ws_open, connection_ptr)
CAF_ADD_ATOM(mpk, mpk::atom, ws_text, "wsText")     ///< (ws_text, std::string)
CAF_ADD_ATOM(mpk, mpk::atom, ws_binary, "wsBinary") ///< (ws_binary, std::string)
CAF_ADD_ATOM(mpk, mpk::atom, ws_closed, "wsClosed") ///< (ws_closed, std::string reason)
CAF_ADD_ATOM(mpk, mpk::atom, ws_drained,
             "wsDrained") ///< (ws_drained): the send queue ran empty (after notify_when_drained)

// -- PBX links ----------------------------------------------------------------------
CAF_ADD_ATOM(mpk, mpk::atom, pbx_up, "pbxUp")     ///< (pbx_up, pbx_info, actor link) PBX link ready / services changed
CAF_ADD_ATOM(mpk, mpk::atom, pbx_down, "pbxDown") ///< (pbx_down, std::string tenant, actor link)
CAF_ADD_ATOM(mpk, mpk::atom, svc_login, "svcLogin") ///< (svc_login, service name, challenge) -> service_login

// -- registry ---------------------------------------------------------------------
CAF_ADD_ATOM(mpk, mpk::atom, query, "query") ///< (query, device_query) -> device_page
CAF_ADD_ATOM(mpk, mpk::atom, subscribe,
             "subscribe") ///< (subscribe, device_query, uint64 resume_from) -> device_page; then device_delta
CAF_ADD_ATOM(mpk, mpk::atom, unsubscribe, "unsub")  ///< (unsubscribe)
CAF_ADD_ATOM(mpk, mpk::atom, domains, "domains")    ///< (domains, vector<string> tenants) -> vector<domain_summary>
CAF_ADD_ATOM(mpk, mpk::atom, target, "target")      ///< (target, device id, vector<string> tenants) -> phone_target
CAF_ADD_ATOM(mpk, mpk::atom, watch_tgt, "watchTgt") ///< (watch_tgt, device id): push phone_target on every change
CAF_ADD_ATOM(mpk, mpk::atom, unwatch_tgt, "unwatchTgt")
CAF_ADD_ATOM(mpk, mpk::atom, status, "status") ///< (status[, tenant_scope]) -> std::string JSON (no scope: everything)
CAF_ADD_ATOM(mpk, mpk::atom, link_event, "linkEvent") ///< INTERNAL: (link_event, link_update) devices_link → registry
CAF_ADD_ATOM(mpk, mpk::atom, retry, "retry")          ///< INTERNAL: reconnect tick (epoch-tagged)
CAF_ADD_ATOM(mpk, mpk::atom, tick, "tick")            ///< INTERNAL: periodic work (epoch-tagged)

// -- phone sessions -----------------------------------------------------------------
CAF_ADD_ATOM(mpk, mpk::atom, watch,
             "watch") ///< (watch, device id, vector<string> tenants, actor watcher) -> phone_target
CAF_ADD_ATOM(mpk, mpk::atom, unwatch, "unwatch")      ///< (unwatch, device id, actor watcher)
CAF_ADD_ATOM(mpk, mpk::atom, frame_ack, "frameAck")   ///< (frame_ack, device id, uint32 seq, actor watcher)
CAF_ADD_ATOM(mpk, mpk::atom, command, "command")      ///< (command, phone_command) -> command_result
CAF_ADD_ATOM(mpk, mpk::atom, admin_http, "adminHttp") ///< (admin_http, device id, method, path, body) -> relayed_http
CAF_ADD_ATOM(mpk, mpk::atom, poll, "poll")            ///< INTERNAL: LCD poll tick
CAF_ADD_ATOM(
  mpk, mpk::atom, audit,
  "audit") ///< (audit, device id, uint32 limit) -> std::string JSON array; (audit, audit_note) -> bool written
CAF_ADD_ATOM(mpk, mpk::atom, pin_cert,
             "pinCert") ///< (pin_cert, link id, sha256 hex) -> std::string JSON: trust that certificate for the link
CAF_ADD_ATOM(mpk, mpk::atom, log_status,
             "logStatus") ///< (log_status[, tenant_scope]) the status once to the log ("Log Service Connections")
CAF_ADD_ATOM(mpk, mpk::atom, drain, "drain") ///< graceful shutdown: tell clients, stop sessions
CAF_ADD_ATOM(mpk, mpk::atom, tenant_of,
             "tenantOf") ///< (tenant_of, domain) -> string: the PBX link's tenant of that name ("" if none)
CAF_ADD_ATOM(mpk, mpk::atom, wire_check,
             "wireCheck") ///< (wire_check, device id, vector<string> acts, actor_identity) -> std::string JSON report
CAF_ADD_ATOM(mpk, mpk::atom, wire_reload,
             "wireReload") ///< (wire_reload) -> std::string JSON: read phone.wire-file again

CAF_END_TYPE_ID_BLOCK(mpk)

// The connection handle only ever travels inside one process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mpk::net::connection_ptr)
