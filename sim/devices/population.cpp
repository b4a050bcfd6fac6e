#include "sim/devices/population.hpp"

#include <algorithm>
#include <array>

namespace mpk::sim {

namespace {

/// splitmix64: tiny, fast and good enough to spread a seed (not for secrets).
struct rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

std::uint64_t hash_name(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull; // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string hex_of(rng& r, std::size_t chars) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(chars);
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < chars; ++i) {
    if (i % 16 == 0) v = r.next();
    s.push_back(digits[v & 0xf]);
    v >>= 4;
  }
  return s;
}

const std::array<const char*, 5> v13_versions = {"13r1 sr22 [13.6182/131286/1300]", "13r2 sr14 [13.A446/131286/1300]",
                                                 "13r3 sr8 [13.B030/131286/1300]", "14r1 sr5 [14.1234/141050/1400]",
                                                 "14r2 dvl [14.A110/14A146/200]"};
const std::array<const char*, 2> old_versions = {"12r2 sr25 [127111/127111/1200]", "11r2 sr34 [115072/115072/1100]"};

struct other_device {
  const char* product;
  const char* type;
};
const std::array<other_device, 6> non_phones = {
  {{"IP811", "GW"}, {"IP1130", "GW"}, {"IP6010", "GW"}, {"IPVA", "VA"}, {"IP1202", "DECT"}, {"AP", "APP_PLATFORM"}}};
const std::array<const char*, 12> first_names = {"Anna",  "Ben",  "Clara", "David", "Eva",   "Felix",
                                                 "Greta", "Hugo", "Ida",   "Jonas", "Katja", "Lukas"};
const std::array<const char*, 4> reg_states = {"up", "not-configured", "disabled", "failed"};

std::string ipv4_of(std::size_t n) {
  return "10." + std::to_string((n >> 16) & 255) + "." + std::to_string((n >> 8) & 255) + "." + std::to_string(n & 255);
}

} // namespace

std::string derived_password(std::uint64_t seed, std::string_view name) {
  rng r{seed ^ hash_name(name)};
  return hex_of(r, 32);
}

population generate_population(const population_options& o) {
  population pop;
  rng r{o.seed * 0x2545f4914f6cdd1dull + 7};
  const std::size_t ninst = std::max<std::size_t>(1, o.instances);
  const std::size_t ndom = std::max(o.domains, ninst + o.tenants);

  // -- instances and domains ---------------------------------------------------------
  pop.instances.resize(ninst);
  for (std::size_t k = 0; k < ninst; ++k) {
    auto& in = pop.instances[k];
    in.domain = o.instance_domain;
    in.name = k == 0 ? "devices" : "devices" + std::to_string(k + 1);
    in.password = derived_password(o.seed, in.domain + "/" + in.name);
    domain_record d;
    d.id = 1;
    d.name = o.instance_domain;
    d.password = derived_password(o.seed, "domain:" + in.name + ":" + d.name);
    d.is_instance_domain = true;
    in.domains.push_back(d);
  }
  auto add_domain = [&](std::size_t k, std::string name, bool deploy) {
    auto& in = pop.instances[k];
    domain_record d;
    d.id = static_cast<std::int64_t>(in.domains.size()) + 1;
    d.password = derived_password(o.seed, "domain:" + in.name + ":" + name);
    d.name = std::move(name);
    d.deploy_admin_passwords = deploy;
    if (deploy) d.admin_password = "adm-" + derived_password(o.seed, "admin:" + d.name).substr(0, 12);
    in.domains.push_back(std::move(d));
  };
  for (std::size_t t = 1; t <= o.tenants; ++t)
    add_domain((t - 1) % ninst, "tenant" + std::to_string(t) + ".example.com", t % 2 == 1);
  for (std::size_t i = ninst + o.tenants, n = 1; i < ndom; ++i, ++n)
    add_domain(i % ninst, "dom" + std::to_string(n) + ".example.com", n % 3 == 0);

  // -- devices -----------------------------------------------------------------------------
  for (auto& in : pop.instances) in.devices.reserve(o.devices / ninst + 1);
  const std::size_t nlive = o.supported.empty() ? 0 : std::min(o.live_phones, o.devices);
  for (std::size_t g = 0; g < o.devices; ++g) {
    device_record d;
    d.hw_id = hw_id_for(g + 1);
    d.eth_ifs.push_back({"ETH0", ipv4_of(g + 1)});
    std::size_t k = g % ninst;
    if (g < nlive) {
      // Live phones: every supported model in turn, placed in the tenants' domains so each
      // tenant's admin sees some of them (or the first ordinary domain without tenants).
      const auto& pc = o.supported[g % o.supported.size()];
      std::int64_t dom = 1;
      if (o.tenants > 0) {
        std::size_t t = g % o.tenants + 1;
        k = (t - 1) % ninst;
        auto name = "tenant" + std::to_string(t) + ".example.com";
        for (auto& dm : pop.instances[k].domains)
          if (dm.name == name) dom = dm.id;
      } else if (pop.instances[k].domains.size() > 1) {
        dom = 2;
      }
      auto& in = pop.instances[k];
      d.domain_id = dom;
      d.product = pc.product;
      d.version = v13_versions[g % v13_versions.size()];
      d.type = "PHONE";
      d.name = std::string(first_names[g % first_names.size()]) + " (" + pc.product + ")";
      d.sysclient_password = derived_password(o.seed, "sysclient:" + d.hw_id);
      d.live = true;
      d.online = false; // until its sysclient connects
      live_phone_spec s;
      s.instance = k;
      s.hw_id = d.hw_id;
      s.product = pc.product;
      s.family = pc.family;
      s.version = d.version;
      s.name = d.name;
      s.ipv4 = d.eth_ifs.front().ipv4;
      s.number = std::to_string(100 + g);
      s.sysclient_password = d.sysclient_password;
      s.domain_id = dom;
      s.domain_name = in.domains[static_cast<std::size_t>(dom - 1)].name;
      for (std::size_t slot = 0; slot < 4; ++slot) s.registrations.push_back(reg_states[(g + slot) % 4]);
      pop.live.push_back(std::move(s));
      d.id = static_cast<std::int64_t>(in.devices.size()) + 1;
      in.devices.push_back(std::move(d));
      continue;
    }
    auto& in = pop.instances[k];
    auto roll = r.below(100);
    if (roll < 6) {
      const auto& np = non_phones[r.below(non_phones.size())];
      d.product = np.product;
      d.type = np.type;
      d.version = v13_versions[r.below(v13_versions.size())];
      d.pbx_active = r.below(2) == 0;
      d.name = std::string(np.type) + " " + std::to_string(g + 1);
    } else if (roll < 12 && !o.unsupported.empty()) {
      d.product = o.unsupported[r.below(o.unsupported.size())];
      d.version = old_versions[r.below(old_versions.size())];
    } else if (roll < 17 && !o.supported.empty()) {
      d.product = o.supported[r.below(o.supported.size())].product;
      d.version = old_versions[r.below(old_versions.size())];
    } else {
      d.product = o.supported.empty() ? "IP222" : o.supported[r.below(o.supported.size())].product;
      d.version = v13_versions[r.below(v13_versions.size())];
    }
    if (d.name.empty()) d.name = std::string(first_names[r.below(first_names.size())]) + " " + std::to_string(1000 + g);
    d.online = r.below(100) < 70;
    // About 1 % are unassigned (a sysclient that is in no domain yet).
    d.domain_id = r.below(100) == 0 ? 0 : static_cast<std::int64_t>(r.below(in.domains.size())) + 1;
    d.sysclient_password = d.domain_id ? hex_of(r, 32) : std::string();
    d.id = static_cast<std::int64_t>(in.devices.size()) + 1;
    in.devices.push_back(std::move(d));
  }
  return pop;
}

} // namespace mpk::sim
