// mpk-wirecheck: the wire check of docs/wire-calibration.md from the command line, for a
// technician with one phone on the desk (directly, HTTP Digest with the phone's admin user) or
// for an operator with a Devices passthrough URL. Prints the JSON report on stdout.

#include "common/base/config.hpp"
#include "common/models/catalog.hpp"
#include "common/models/wire_book.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/tls_config.hpp"
#include "services/phone-session/wire/wire_check.hpp"

#include <fstream>
#include <future>
#include <iostream>

using namespace mpk;

namespace {

void declare(config::settings& s) {
  s.add("phone", "", "the phone's own address, e.g. http://10.0.0.12/ (direct: HTTP Digest with user and password)")
    .add("passthrough", "",
         "a Devices passthrough URL of the phone: https://<host>/<domain>/<devices>/passthrough/<hwId>/<key>/")
    .add("user", "admin", "the phone's admin user (answered to a Digest challenge)")
    .add("password", "", "the phone's admin password", true)
    .add("product", "", "the phone's model, e.g. IP222 (default: asked from the phone's info answer)")
    .add("acts", "",
         "acting candidates to run, comma-separated: key:<i>:<KEY>[:<holdMs>], touch:<i>:<x>:<y>, text:<i>:<text>")
    .add("read-only", "true", "run every read-only candidate (false: only what the acts need)")
    .add("models-dir", MPK_DEFAULT_MODELS_DIR, "the built-in model data")
    .add("wire-file", "", "a wire file merged over the model data (as phone.wire-file)")
    .add("timeout-ms", "5000", "timeout of one request")
    .add("settle-ms", "500", "wait after an act before the LCD dump after it")
    .add("save", "", "also write the forms that worked as a wire file for this model to this path");
  net::add_tls_client_options(s, "the phone or the passthrough");
}

} // namespace

int main(int argc, char** argv) {
  config::settings s("mpk-wirecheck", "myPhoneKeys wire check: which forms one phone answers (JSON report on stdout)");
  declare(s);
  if (auto code = config::start_from_command_line(s, argc, argv)) return *code;
  const bool direct = !s.get("phone").empty();
  if (direct == !s.get("passthrough").empty()) {
    std::cerr << "give either --phone=<url> (direct) or --passthrough=<url>\n";
    return 2;
  }
  std::string err;
  auto catalog = models::catalog::load(s.get("models-dir"), err);
  if (!catalog) {
    std::cerr << "cannot load the model data: " << err << "\n";
    return 2;
  }
  std::shared_ptr<const models::wire_book> book;
  if (!s.get("wire-file").empty()) {
    auto b = models::wire_book::load(*catalog, s.get("wire-file"), err);
    if (!b) {
      std::cerr << err << "\n";
      return 2;
    }
    book = std::make_shared<const models::wire_book>(std::move(*b));
  }
  wire::check_options o;
  o.catalog = &*catalog;
  o.book = book;
  o.product = s.get("product");
  o.via = direct ? "direct" : "passthrough";
  o.read_only = s.get_bool("read-only");
  o.settle = std::chrono::milliseconds(std::max<std::int64_t>(0, s.get_int("settle-ms")));
  for (const auto& spec : s.get_list("acts")) {
    auto act = wire::parse_act(spec, err);
    if (!act) {
      std::cerr << err << "\n";
      return 2;
    }
    o.acts.push_back(std::move(*act));
  }
  wire::phone_link_options lo;
  lo.base_url = direct ? s.get("phone") : s.get("passthrough");
  if (lo.base_url.rfind("http://", 0) != 0 && lo.base_url.rfind("https://", 0) != 0) {
    std::cerr << "the URL must start with http:// or https://\n";
    return 2;
  }
  lo.user = s.get("user");
  lo.password = s.get("password");
  lo.timeout = std::chrono::milliseconds(std::max<std::int64_t>(100, s.get_int("timeout-ms")));
  lo.tls = net::tls_client_options_from(s);

  net::io_runtime io{1};
  std::promise<wire::check_report> done;
  wire::run_wire_check(io, wire::phone_link::make(io, lo), std::move(o),
                       [&done](wire::check_report r) { done.set_value(std::move(r)); });
  auto report = done.get_future().get();
  io.stop();
  std::cout << report.json << "\n";
  if (!report.ran) {
    std::cerr << "wire check failed: " << report.error << "\n";
    return 1;
  }
  if (!s.get("save").empty()) {
    std::ofstream out(s.get("save"));
    out << report.wire_file << "\n";
    if (!out) {
      std::cerr << "cannot write " << s.get("save") << "\n";
      return 1;
    }
  }
  return 0;
}
