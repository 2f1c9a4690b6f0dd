#include "firewall.h"

#include <fmt/format.h>

#include <algorithm>

#include "../core/parse.h"

namespace smbaudit {
namespace {

constexpr FirewallProfile kProfiles[] = {FirewallProfile::Domain, FirewallProfile::Private, FirewallProfile::Public};

// The local store names the private profile "StandardProfile".
std::string profile_key(std::string_view store, FirewallProfile p) {
  const bool local = store == kFirewallLocalStore;
  switch (p) {
    case FirewallProfile::Domain: return std::string(store) + "\\DomainProfile";
    case FirewallProfile::Private: return std::string(store) + (local ? "\\StandardProfile" : "\\PrivateProfile");
    case FirewallProfile::Public: return std::string(store) + "\\PublicProfile";
  }
  return {};
}

std::string rules_key(std::string_view store) {
  return std::string(store) + "\\FirewallRules";
}

std::optional<int> to_int(std::string_view s) {
  if (auto v = parse_int(trim(s), std::numeric_limits<int>::min(), std::numeric_limits<int>::max()))
    return static_cast<int>(*v);
  return std::nullopt;
}

// A port number, or nullopt: a field naming no valid port must never count as blocking.
std::optional<int> to_port(std::string_view s) {
  const auto v = to_int(s);
  if (!v || *v < 0 || *v > 65535) return std::nullopt;
  return v;
}

// Fields that narrow which traffic a rule matches; a rule carrying one does not block SMB
// as a whole.
bool is_restriction(std::string_view key) {
  static constexpr std::string_view kNarrowing[] = {"App",    "Svc",      "RA4",    "RA6",      "RA42",  "RA62",
                                                    "LA4",    "LA6",      "LA42",   "LA62",     "LPort", "LPort2_10",
                                                    "RUAuth", "RMauth",   "PCross", "Platform", "IF",    "IFType",
                                                    "LUAuth", "AppPkgId", "LUOwn",  "RPort2_10"};
  return std::any_of(std::begin(kNarrowing), std::end(kNarrowing), [&](std::string_view k) { return iequals(k, key); });
}

}  // namespace

std::optional<FirewallProfile> firewall_profile_from_string(std::string_view name) {
  if (iequals(name, "domain")) return FirewallProfile::Domain;
  if (iequals(name, "private")) return FirewallProfile::Private;
  if (iequals(name, "public")) return FirewallProfile::Public;
  return std::nullopt;
}

std::string_view to_string(FirewallProfile p) {
  switch (p) {
    case FirewallProfile::Domain: return "domain";
    case FirewallProfile::Private: return "private";
    case FirewallProfile::Public: return "public";
  }
  return "?";
}

FirewallRule parse_firewall_rule(std::string_view text) {
  FirewallRule rule;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('|', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view field = text.substr(start, end - start);
    start = end + 1;
    const auto eq = field.find('=');
    if (eq == std::string_view::npos) continue;  // the version token ("v2.30") and empty fields
    const std::string_view key = trim(field.substr(0, eq));
    const std::string_view value = trim(field.substr(eq + 1));
    if (iequals(key, "Name")) {
      rule.name = std::string(value);
    } else if (iequals(key, "Active")) {
      rule.active = iequals(value, "TRUE");
    } else if (iequals(key, "Action")) {
      rule.action = iequals(value, "Block")    ? FirewallAction::Block
                    : iequals(value, "Allow")  ? FirewallAction::Allow
                    : iequals(value, "ByPass") ? FirewallAction::Bypass
                                               : FirewallAction::Other;
    } else if (iequals(key, "Dir")) {
      rule.direction = iequals(value, "Out")  ? FirewallDirection::Out
                       : iequals(value, "In") ? FirewallDirection::In
                                              : FirewallDirection::Other;
    } else if (iequals(key, "Protocol")) {
      rule.protocol = to_int(value);
      if (!rule.protocol) rule.restrictions.emplace_back(field);  // an unreadable protocol narrows, never widens
    } else if (iequals(key, "RPort")) {
      // One port or a range per field; some writers put comma-separated lists in one field.
      std::size_t s = 0;
      while (s <= value.size()) {
        std::size_t e = value.find(',', s);
        if (e == std::string_view::npos) e = value.size();
        const std::string_view item = trim(value.substr(s, e - s));
        s = e + 1;
        if (item.empty()) continue;
        if (const auto dash = item.find('-'); dash != std::string_view::npos) {
          const auto lo = to_port(item.substr(0, dash)), hi = to_port(item.substr(dash + 1));
          if (lo && hi && *lo <= *hi)
            rule.remote_ports.emplace_back(*lo, *hi);
          else
            rule.remote_port_keyword = true;
        } else if (const auto port = to_port(item)) {
          rule.remote_ports.emplace_back(*port, *port);
        } else {
          rule.remote_port_keyword = true;
        }
      }
    } else if (iequals(key, "Profile")) {
      if (auto p = firewall_profile_from_string(value)) rule.profiles.push_back(*p);
    } else if (iequals(key, "App") && iequals(value, "System") && !rule.system_process_only) {
      rule.system_process_only = true;
    } else if (is_restriction(key)) {
      rule.restrictions.emplace_back(field);
    }
  }
  return rule;
}

bool blocks_outbound(const FirewallRule& rule, int protocol, int port, FirewallProfile profile) {
  if (!rule.active || rule.action != FirewallAction::Block || rule.direction != FirewallDirection::Out) return false;
  if (!rule.restrictions.empty()) return false;
  if (rule.protocol && *rule.protocol != protocol) return false;
  if (!rule.profiles.empty() && std::find(rule.profiles.begin(), rule.profiles.end(), profile) == rule.profiles.end())
    return false;
  if (rule.remote_ports.empty()) return !rule.remote_port_keyword;  // no RPort: every port
  return std::any_of(rule.remote_ports.begin(), rule.remote_ports.end(),
                     [port](const auto& r) { return r.first <= port && port <= r.second; });
}

Outcome evaluate_firewall(const FirewallBlockCheck& check, const FactSet& facts, const EvidenceSink& sink) {
  std::vector<FirewallProfile> required;
  for (const auto& name : check.profiles)
    if (auto p = firewall_profile_from_string(name)) required.push_back(*p);
  if (required.empty()) required.assign(std::begin(kProfiles), std::end(kProfiles));

  // Read and parse every rule once, before any profile: a store we cannot read could hold
  // the rule that decides.
  struct ParsedRule {
    std::string_view store;
    const RegistryKeyFact* key;
    const RegValue* value;
    FirewallRule rule;
  };
  std::vector<RegistryKeyFact> rule_keys;
  for (std::string_view store : {kFirewallPolicyStore, kFirewallLocalStore}) {
    // Every rule counts: a store known only in part could hold the rule that decides.
    auto rules = facts.whole_registry_key(rules_key(store));
    if (!rules)
      return unreadable(rules.error(), Evidence{.kind = EvidenceKind::Registry, .path = rules_key(store)},
                        "firewall rules in " + rules_key(store), sink);
    rule_keys.push_back(std::move(*rules));
  }
  // Only a rule whose text says "Block" can be a block rule (Action=Block): a host's hundreds
  // of allow rules are not parsed.
  std::vector<ParsedRule> parsed;
  for (std::size_t i = 0; i < rule_keys.size(); ++i)
    for (const auto& v : rule_keys[i].values)
      if (const auto* text = std::get_if<std::string>(&v.data); text && icontains(*text, "block"))
        parsed.push_back(
            {i == 0 ? kFirewallPolicyStore : kFirewallLocalStore, &rule_keys[i], &v, parse_firewall_rule(*text)});

  const std::string what = check.protocol == 6 ? fmt::format("TCP port {}", check.port)
                                               : fmt::format("protocol {} port {}", check.protocol, check.port);
  std::vector<std::string> problems;
  for (FirewallProfile profile : required) {
    // The profile switch: policy value if set, else the local one, else on (Windows' default).
    std::optional<std::int64_t> enabled;
    bool merge_local = true;
    for (std::string_view store : {kFirewallPolicyStore, kFirewallLocalStore}) {
      const std::string key = profile_key(store, profile);
      auto fact = facts.whole_registry_key(key);
      if (!fact) return unreadable(fact.error(), Evidence{.kind = EvidenceKind::Registry, .path = key}, key, sink);
      const RegValue* v = fact->presence == Presence::Present ? fact->find("EnableFirewall") : nullptr;
      if (store == kFirewallPolicyStore && fact->presence == Presence::Present) {
        if (const RegValue* m = fact->find("AllowLocalPolicyMerge"); m && m->data == Value{std::int64_t{0}}) {
          merge_local = false;
          sink(value_evidence(key, *fact, *m, EvidenceRole::Consulted));
        }
      }
      if (v && !enabled) {
        sink(value_evidence(key, *fact, *v, EvidenceRole::Decided));
        if (const auto* i = std::get_if<std::int64_t>(&v->data)) enabled = *i;
      } else if (v) {
        Evidence shadowed = value_evidence(key, *fact, *v, EvidenceRole::Consulted);
        shadowed.type.reset();
        shadowed.data = {};
        sink(std::move(shadowed));
      } else {
        sink(absent_value_evidence(key, *fact, "EnableFirewall"));
      }
    }
    if (enabled && *enabled == 0) {
      problems.push_back(fmt::format("the {} profile's firewall is off", to_string(profile)));
      continue;
    }
    const auto blocking = std::find_if(parsed.begin(), parsed.end(), [&](const ParsedRule& r) {
      return (merge_local || r.store != kFirewallLocalStore) &&
             blocks_outbound(r.rule, check.protocol, check.port, profile);
    });
    if (blocking != parsed.end()) {
      sink(value_evidence(rules_key(blocking->store), *blocking->key, *blocking->value, EvidenceRole::Decided));
      continue;
    }
    problems.push_back(fmt::format("no active outbound block rule for {} applies to the {} profile{}", what,
                                   to_string(profile),
                                   merge_local ? "" : " (local rules are not merged: AllowLocalPolicyMerge=0)"));
  }
  if (!problems.empty()) return {Status::Fail, join(problems, "; ")};
  std::vector<std::string> names;
  for (auto p : required) names.emplace_back(to_string(p));
  return {Status::Pass,
          fmt::format("firewall on and outbound {} blocked for the {} profile(s)", what, join(names, ", "))};
}

}  // namespace smbaudit
