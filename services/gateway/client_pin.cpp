// PinCertificate: an operator trusts the certificate a devices-api link refused (an App
// Platform's self-signed one), by its SHA-256 fingerprint, from the status panel.

#include "services/gateway/client_state.hpp"

#include <simdjson.h>

namespace mpk::gateway {

/// PinCertificate {link, fingerprint}: the registry writes the pin file and reconnects the link.
void pin_certificate(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "PinCertificateResult");
  if (!is_operator(self)) return send_error(self, to, "FORBIDDEN", "only operators trust certificates");
  auto link = env.string("link").value_or("");
  auto fingerprint = env.string("fingerprint").value_or("");
  if (link.empty() || fingerprint.empty())
    return send_error(self, to, "BAD_REQUEST", "PinCertificate needs link and fingerprint");
  auto reg = self->state.ctx->services.registry();
  if (!reg) return send_unavailable(self, to, service_kind::registry);
  MPK_INFO(self->state.who, "certificate ", fingerprint, " of ", link, " pinned by ", self->state.id.sip);
  self->request(reg, service_timeout, atom::pin_cert_v, std::string(link), std::string(fingerprint))
    .then(
      [=](const std::string& answer) {
        // The registry's answer is {ok, link, pin, file} or {ok:false, error, errorText}.
        simdjson::dom::parser parser;
        simdjson::dom::element root;
        std::string_view code, text;
        if (parser.parse(answer).get(root) != simdjson::SUCCESS) return send_error(self, to, "FAILED", "no answer");
        if (root["error"].get(code) == simdjson::SUCCESS) {
          if (root["errorText"].get(text) != simdjson::SUCCESS) text = code;
          return send_error(self, to, code, text);
        }
        json::json_writer w;
        to.begin(w);
        w.key("result").raw(answer).end_object();
        send_frame(self, w.take());
      },
      [=](const caf::error& e) { send_caf_error(self, to, e, service_kind::registry); });
}

} // namespace mpk::gateway
