#include "services/phone-session/wire/wire_judge.hpp"

#include "common/json/writer.hpp"
#include "common/models/device_info.hpp"
#include "common/models/function_keys.hpp"
#include "common/models/registrations.hpp"
#include "services/phone-session/lcd/bmp_decoder.hpp"

#include <cctype>

namespace mpk::wire {

namespace {

constexpr int min_side = 16;
constexpr int max_side = 2048;

bool success(int status) { return status >= 200 && status < 300; }

/// A status that tells the form is not known here (as opposed to the phone or link being down).
bool refuses_form(int status) { return status == 400 || status == 404 || status == 405 || status == 501; }

std::string first_line(std::string_view body) {
  auto line = body.substr(0, std::min(body.find('\n'), std::size_t(120)));
  std::string out;
  for (char c : line) out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  return out;
}

judgement judge_lcd(const answer& a) {
  judgement j;
  auto img = lcd::decode_bmp(a.body);
  if (auto* err = std::get_if<lcd::decode_error>(&img)) {
    j.v = verdict::not_this_form;
    j.why = "not a BMP: " + err->text;
    return j;
  }
  const auto& im = std::get<lcd::image>(img);
  json::json_writer w;
  w.begin_object()
    .member("width", static_cast<std::uint64_t>(im.width))
    .member("height", static_cast<std::uint64_t>(im.height))
    .member("depth", bmp_depth(a.body))
    .end_object();
  j.parsed = w.take();
  if (static_cast<int>(im.width) < min_side || static_cast<int>(im.height) < min_side ||
      static_cast<int>(im.width) > max_side || static_cast<int>(im.height) > max_side) {
    j.v = verdict::not_this_form;
    j.why = "BMP of an implausible size " + std::to_string(im.width) + "x" + std::to_string(im.height);
    return j;
  }
  j.v = verdict::works;
  j.why = "BMP " + std::to_string(im.width) + "x" + std::to_string(im.height) + "x" + std::to_string(bmp_depth(a.body));
  return j;
}

judgement judge_registrations(const models::wire_candidate& c, const answer& a) {
  judgement j;
  std::string err;
  auto regs = models::parse_registrations_xml(a.body, models::registrations_format::from(c.format), err);
  if (!regs) {
    j.v = verdict::not_this_form;
    j.why = err;
    return j;
  }
  json::json_writer w;
  w.begin_object().member("count", regs->size()).key("slots").begin_array();
  for (const auto& r : *regs)
    w.begin_object()
      .member("id", r.id)
      .member("state", models::to_string(models::classify(r)))
      .member("number", r.number)
      .member("name", r.name)
      .end_object();
  w.end_array().end_object();
  j.parsed = w.take();
  if (regs->empty()) {
    j.v = verdict::not_this_form;
    j.why = "an empty list (a phone has at least one registration slot)";
    return j;
  }
  j.v = verdict::works;
  j.why = std::to_string(regs->size()) + " registrations";
  return j;
}

judgement judge_function_keys(const models::wire_candidate& c, const answer& a) {
  judgement j;
  std::string err;
  auto keys = models::parse_function_keys_xml(a.body, models::function_keys_format::from(c.format), err);
  if (!keys) {
    j.v = verdict::not_this_form;
    j.why = err;
    return j;
  }
  json::json_writer w;
  w.begin_object().member("count", keys->size()).key("keys").begin_array();
  for (const auto& k : *keys)
    w.begin_object().member("n", k.n).member("label", k.label).member("led", k.led).end_object();
  w.end_array().end_object();
  j.parsed = w.take();
  // An empty list is a valid answer: a phone whose function keys are all unset.
  j.v = verdict::works;
  j.why = std::to_string(keys->size()) + " function keys";
  return j;
}

judgement judge_info(const models::wire_candidate& c, const answer& a) {
  judgement j;
  std::string err;
  auto info = models::parse_info_xml(a.body, models::info_format::from(c.format), err);
  if (!info) {
    j.v = verdict::not_this_form;
    j.why = err;
    return j;
  }
  json::json_writer w;
  w.begin_object()
    .member("product", info->product)
    .member("version", info->version)
    .member("hwId", info->hw_id)
    .member("name", info->name)
    .member("ip", info->ip)
    .member("number", info->number)
    .end_object();
  j.parsed = w.take();
  j.v = verdict::works;
  j.why = "info of " + info->product + (info->version.empty() ? "" : " " + info->version);
  return j;
}

} // namespace

std::string_view to_string(verdict v) {
  switch (v) {
    case verdict::works: return "works";
    case verdict::not_this_form: return "not-this-form";
    case verdict::no_answer: return "no-answer";
  }
  return "no-answer";
}

bool reports_error(std::string_view body) {
  std::size_t i = 0;
  while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
  auto rest = body.substr(i);
  auto starts_ci = [&](std::string_view p) {
    if (rest.size() < p.size()) return false;
    for (std::size_t k = 0; k < p.size(); ++k)
      if (std::tolower(static_cast<unsigned char>(rest[k])) != p[k]) return false;
    return true;
  };
  return starts_ci("error") || starts_ci("<error") || body.find("<error") != std::string_view::npos;
}

int bmp_depth(std::string_view b) {
  if (b.size() < 30 || b[0] != 'B' || b[1] != 'M') return 0;
  auto u16 = [&](std::size_t o) {
    return static_cast<int>(static_cast<unsigned char>(b[o]) | (static_cast<unsigned char>(b[o + 1]) << 8));
  };
  int header = u16(14);
  return header == 12 ? u16(24) : u16(28);
}

judgement judge(std::string_view entry, const models::wire_candidate& c, const answer& a) {
  judgement j;
  if (a.status == 0) {
    j.why = a.error.empty() ? std::string("no answer") : a.error;
    return j;
  }
  if (!success(a.status)) {
    j.v = refuses_form(a.status) ? verdict::not_this_form : verdict::no_answer;
    j.why = "answered " + std::to_string(a.status) + (a.body.empty() ? "" : ": " + first_line(a.body)) +
            (a.error.empty() ? "" : " (" + a.error + ")");
    return j;
  }
  if (entry == "lcd") return judge_lcd(a);
  if (entry == "registrations") return judge_registrations(c, a);
  if (entry == "info") return judge_info(c, a);
  if (entry == "functionKeys") return judge_function_keys(c, a);
  // Acting entries: the phone took the command unless its answer says otherwise. (A new
  // read-only entry of wire_entries.cpp brings its own judge above: what makes its answer right.)
  if (reports_error(a.body)) {
    j.v = verdict::not_this_form;
    j.why = "answered " + std::to_string(a.status) + " with an error: " + first_line(a.body);
    return j;
  }
  j.v = verdict::works;
  j.why = "answered " + std::to_string(a.status);
  return j;
}

} // namespace mpk::wire
