// The wire check: one run over a phone's candidates, step by step on the Asio threads.

#include "services/phone-session/wire/wire_check.hpp"

#include "common/json/writer.hpp"
#include "common/models/device_info.hpp"
#include "common/models/wire_entries.hpp"
#include "common/models/wire_template.hpp"
#include "common/net/timer.hpp"

namespace mpk::wire {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep, std::size_t max_parts) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < max_parts) {
    auto p = s.find(sep);
    if (p == std::string_view::npos) break;
    out.push_back(s.substr(0, p));
    s.remove_prefix(p + 1);
  }
  out.push_back(s);
  return out;
}

/// What one candidate gave.
struct candidate_report {
  bool ran = false;
  std::string request; ///< the phone path sent (never the base URL)
  answer a;
  double ms = 0;
  judgement j;
  std::string result; ///< works / not-this-form / no-answer / not-run / refused / skipped
  // -- acting candidates ----
  bool acted = false;
  std::optional<answer> lcd_before, lcd_after;
  std::optional<bool> visible;
};

struct entry_report {
  const models::wire_entry_rule* rule = nullptr;
  std::vector<candidate_report> candidates;
};

/// One step: a read-only candidate, or an act (LCD before, the act, settle, LCD after).
struct step {
  std::string entry;
  std::size_t index = 0;
  std::optional<act_request> act;
};

void write_answer_fields(json::json_writer& w, const answer& a) {
  w.member("status", a.status).member("contentType", a.content_type).member("bytes", a.body.size());
  if (!a.error.empty()) w.member("error", a.error);
}

void write_candidate_json(json::json_writer& w, const models::wire_candidate& c) {
  w.begin_object().member("form", c.form);
  if (!c.source.empty()) w.member("source", c.source);
  if (!c.key_codes.empty()) {
    w.key("keyCodes").begin_object();
    for (const auto& [id, code] : c.key_codes) w.member(id, code);
    w.end_object();
  }
  if (!c.format.empty()) {
    w.key("format").begin_object();
    for (const auto& [k, v] : c.format) w.member(k, v);
    w.end_object();
  }
  w.end_object();
}

class check_run : public std::enable_shared_from_this<check_run> {
public:
  check_run(net::io_runtime& rt, std::shared_ptr<phone_link> link, check_options o,
            std::function<void(check_report)> done)
      : rt_(rt),
        link_(std::move(link)),
        o_(std::move(o)),
        done_(std::move(done)),
        start_(std::chrono::steady_clock::now()) {
    if (!o_.book && o_.catalog)
      o_.book = std::make_shared<const models::wire_book>(models::wire_book::built_in(*o_.catalog));
  }

  void start() {
    if (!o_.catalog || !o_.book) return fail("no model data");
    if (!o_.product.empty()) return plan();
    detect(0);
  }

private:
  // -- which phone: its info answer, when the product was not given -------------------------

  void detect(std::size_t i) {
    const auto& products = o_.catalog->products();
    auto w = products.empty() ? nullptr : o_.book->find(products.front());
    const models::wire_candidate* c = w ? w->candidate("info", i) : nullptr;
    if (!c) return fail("the phone did not say which model it is (no info form answered): name the product");
    auto self = shared_from_this();
    link_->get(c->form, [self, i, c = *c](answer a, double) {
      auto j = judge("info", c, a);
      if (j.v == verdict::works) {
        std::string err;
        auto info = models::parse_info_xml(a.body, models::info_format::from(c.format), err);
        if (info) {
          self->o_.product = info->product;
          if (self->o_.version.empty()) self->o_.version = info->version;
          return self->plan();
        }
      }
      if (j.v == verdict::no_answer && i == 0) return self->fail("no answer from the phone: " + j.why);
      self->detect(i + 1);
    });
  }

  // -- the plan ---------------------------------------------------------------------------------

  void plan() {
    model_ = o_.catalog->get(o_.product);
    wire_ = o_.book->find(o_.product);
    if (!model_ || !wire_) return fail("unknown model " + o_.product);
    for (const auto& rule : models::wire_entry_rules()) {
      entry_report e;
      e.rule = &rule;
      if (const auto* we = wire_->entry(rule.name)) e.candidates.resize(we->candidates.size());
      entries_.push_back(std::move(e));
    }
    for (const auto& rule : models::wire_entry_rules()) {
      if (rule.acts) continue;
      if (!o_.read_only && rule.name != "lcd") continue;
      for (std::size_t i = 0; i < report_of(rule.name).candidates.size(); ++i)
        steps_.push_back(step{std::string(rule.name), i, std::nullopt});
    }
    for (const auto& act : o_.acts) {
      const auto* rule = models::find_wire_rule(act.entry);
      if (!rule || !rule->acts || !rule->searched)
        return fail("cannot run \"" + act.entry + "\": only key, touch and text candidates run on request");
      if (act.candidate >= report_of(act.entry).candidates.size())
        return fail(act.entry + " has no candidate " + std::to_string(act.candidate));
      steps_.push_back(step{act.entry, act.candidate, act});
    }
    next();
  }

  entry_report& report_of(std::string_view name) {
    for (auto& e : entries_)
      if (e.rule->name == name) return e;
    return entries_.front(); // every rule has a report
  }

  // -- running ----------------------------------------------------------------------------------

  void next() {
    if (pos_ >= steps_.size()) return finish();
    const step& s = steps_[pos_++];
    auto& r = report_of(s.entry).candidates[s.index];
    if (std::chrono::steady_clock::now() - start_ > o_.budget) {
      r.result = "skipped";
      r.j.why = "the check's time budget was used up";
      return next();
    }
    if (s.act) return run_act(s, r);
    if (s.entry == "lcd" && !o_.read_only && lcd_form_) return next(); // acts only: one LCD form is all they need
    const auto& c = *wire_->candidate(s.entry, s.index);
    auto path = models::render_template(c.form, {});
    if (!path) {
      r.result = "refused";
      r.j.why = "the form cannot be rendered";
      return next();
    }
    auto self = shared_from_this();
    exchange(r, *path, [self, entry = s.entry, index = s.index](candidate_report& rr) {
      const auto& cc = *self->wire_->candidate(entry, index);
      rr.j = judge(entry, cc, rr.a);
      rr.result = std::string(to_string(rr.j.v));
      if (entry == "lcd" && rr.j.v == verdict::works && !self->lcd_form_)
        self->lcd_form_ = *models::render_template(cc.form, {});
      self->next();
    });
  }

  void exchange(candidate_report& r, const std::string& path, std::function<void(candidate_report&)> then) {
    r.ran = true;
    r.request = path;
    auto self = shared_from_this();
    link_->get(path, [self, &r, then = std::move(then)](answer a, double ms) {
      r.a = std::move(a);
      r.ms = ms;
      then(r);
    });
  }

  std::optional<std::string> act_path(const step& s, std::string& err) const {
    const auto& c = *wire_->candidate(s.entry, s.index);
    const auto& a = *s.act;
    if (s.entry == "key") return o_.catalog->key_request(*model_, *wire_, c, a.key, a.hold_ms, err);
    if (s.entry == "touch") return o_.catalog->touch_request(*model_, c, a.x, a.y, a.hold_ms, err);
    return o_.catalog->text_request(c, a.text, err);
  }

  void run_act(const step& s, candidate_report& r) {
    std::string err;
    auto path = act_path(s, err);
    if (!path) {
      r.result = "refused";
      r.j.why = err;
      return next();
    }
    auto self = shared_from_this();
    dump_lcd([self, s, &r, path = *path](std::optional<answer> before) {
      r.lcd_before = std::move(before);
      self->exchange(r, path, [self, s](candidate_report& rr) {
        rr.acted = true;
        rr.j = judge(s.entry, *self->wire_->candidate(s.entry, s.index), rr.a);
        rr.result = std::string(to_string(rr.j.v));
        // Give the phone time to draw what the input did.
        net::run_after(self->rt_, self->o_.settle, [self, s, &rr] {
          self->dump_lcd([self, s, &rr](std::optional<answer> after) {
            rr.lcd_after = std::move(after);
            if (rr.lcd_before && rr.lcd_after && rr.lcd_before->status == 200 && rr.lcd_after->status == 200)
              rr.visible = rr.lcd_before->body != rr.lcd_after->body;
            if (rr.j.v == verdict::not_this_form && rr.visible.value_or(false) && rr.a.status >= 200 &&
                rr.a.status < 300) {
              rr.j.v = verdict::works; // it answered oddly, but the screen changed
              rr.j.why += "; the LCD changed afterwards";
              rr.result = std::string(to_string(rr.j.v));
            }
            self->next();
          });
        });
      });
    });
  }

  /// One LCD dump with the form that worked; nullopt when none did (the effect stays unknown).
  void dump_lcd(std::function<void(std::optional<answer>)> then) {
    if (!lcd_form_) return then(std::nullopt);
    link_->get(*lcd_form_, [then = std::move(then)](answer a, double) { then(std::move(a)); });
  }

  // -- the report --------------------------------------------------------------------------------

  void fail(const std::string& why) {
    json::json_writer w;
    w.begin_object().member("device", o_.device).member("product", o_.product).member("via", o_.via);
    w.member("error", why).end_object();
    check_report r;
    r.error = why;
    r.json = w.take();
    done_(std::move(r));
  }

  void finish() {
    json::json_writer w;
    double total = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
    w.begin_object()
      .member("device", o_.device)
      .member("product", model_->product)
      .member("family", model_->family)
      .member("version", o_.version)
      .member("via", o_.via)
      .member("wireOrigin", o_.book->origin())
      .member("ms", total);
    w.key("remembered").begin_object();
    for (const auto& [entry, index] : o_.remembered) w.member(entry, index);
    w.end_object();
    w.key("entries").begin_array();
    for (const auto& e : entries_) write_entry(w, e);
    w.end_array();
    check_report r;
    r.ran = true;
    json::json_writer f;
    write_wire_file(f);
    r.wire_file = f.take();
    w.key("wireFile").raw(r.wire_file);
    w.end_object();
    r.json = w.take();
    done_(std::move(r));
  }

  void write_entry(json::json_writer& w, const entry_report& e) {
    const auto* we = wire_->entry(e.rule->name);
    w.begin_object()
      .member("entry", e.rule->name)
      .member("what", e.rule->what)
      .member("acts", e.rule->acts)
      .member("searched", e.rule->searched);
    w.key("working").begin_array();
    for (std::size_t i = 0; i < e.candidates.size(); ++i)
      if (e.candidates[i].j.v == verdict::works && e.candidates[i].ran) w.value(static_cast<std::uint64_t>(i));
    w.end_array();
    w.key("candidates").begin_array();
    for (std::size_t i = 0; i < e.candidates.size(); ++i) {
      const auto& c = e.candidates[i];
      const auto& wc = we->candidates[i];
      w.begin_object()
        .member("index", static_cast<std::uint64_t>(i))
        .member("form", wc.form)
        .member("source", wc.source);
      if (!c.ran) {
        w.member("result", c.result.empty() ? std::string("not-run") : c.result);
        if (!c.j.why.empty()) w.member("why", c.j.why);
        w.end_object();
        continue;
      }
      w.member("request", c.request);
      write_answer_fields(w, c.a);
      w.member("ms", c.ms).member("result", c.result).member("why", c.j.why);
      w.key("parsed").raw(c.j.parsed.empty() ? "null" : c.j.parsed);
      if (c.acted) {
        auto dump = [&](const char* name, const std::optional<answer>& d) {
          w.key(name);
          if (!d) {
            w.null();
            return;
          }
          w.begin_object();
          write_answer_fields(w, *d);
          w.end_object();
        };
        dump("lcdBefore", c.lcd_before);
        dump("lcdAfter", c.lcd_after);
        w.key("visible");
        if (c.visible)
          w.value(*c.visible);
        else
          w.null();
      }
      w.end_object();
    }
    w.end_array().end_object();
  }

  /// The first working candidate of each entry, as a wire file for this model.
  void write_wire_file(json::json_writer& w) {
    w.begin_object().member("about", model_->product + (o_.version.empty() ? "" : " " + o_.version) +
                                       ": forms that worked in a wire check (" + o_.via + ")");
    w.key("models").begin_object().key(model_->product).begin_object();
    for (const auto& e : entries_) {
      for (std::size_t i = 0; i < e.candidates.size(); ++i) {
        if (!e.candidates[i].ran || e.candidates[i].j.v != verdict::works) continue;
        w.key(e.rule->name);
        write_candidate_json(w, *wire_->candidate(e.rule->name, i));
        break;
      }
    }
    w.end_object().end_object().end_object();
  }

  net::io_runtime& rt_;
  std::shared_ptr<phone_link> link_;
  check_options o_;
  std::function<void(check_report)> done_;
  std::chrono::steady_clock::time_point start_;
  const models::model* model_ = nullptr;
  std::shared_ptr<const models::wire_spec> wire_;
  std::vector<entry_report> entries_;
  std::vector<step> steps_;
  std::size_t pos_ = 0;
  std::optional<std::string> lcd_form_;
};

} // namespace

std::optional<act_request> parse_act(std::string_view spec, std::string& err) {
  auto parts = split(spec, ':', 4);
  act_request a;
  auto bad = [&](std::string why) -> std::optional<act_request> {
    err = "bad act \"" + std::string(spec.substr(0, 80)) + "\": " + why;
    return std::nullopt;
  };
  if (parts.size() < 3)
    return bad("expected <entry>:<candidate>:<input> (key:0:MENU, key:0:D5:1200, touch:0:10:20, text:0:hello)");
  a.entry = std::string(parts[0]);
  auto index = models::parse_decimal(parts[1], 0, 99);
  if (!index) return bad("candidate must be a number");
  a.candidate = static_cast<std::size_t>(*index);
  if (a.entry == "key") {
    a.key = std::string(parts[2]);
    if (parts.size() == 4) {
      auto hold = models::parse_decimal(parts[3], 0, models::catalog::max_hold_ms);
      if (!hold) return bad("hold must be 0-10000 ms");
      a.hold_ms = *hold;
    }
  } else if (a.entry == "touch") {
    auto x = models::parse_decimal(parts[2], 0, 4095);
    auto y = parts.size() == 4 ? models::parse_decimal(parts[3], 0, 4095) : std::nullopt;
    if (!x || !y) return bad("touch needs x and y");
    a.x = *x;
    a.y = *y;
  } else if (a.entry == "text") {
    a.text = std::string(spec.substr(parts[0].size() + parts[1].size() + 2));
  } else {
    return bad("entry must be key, touch or text");
  }
  return a;
}

void run_wire_check(net::io_runtime& rt, std::shared_ptr<phone_link> link, check_options o,
                    std::function<void(check_report)> done) {
  std::make_shared<check_run>(rt, std::move(link), std::move(o), std::move(done))->start();
}

} // namespace mpk::wire
