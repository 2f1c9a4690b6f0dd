#include "smbaudit/rule.h"
#include "../core/enum_names.h"

#include <array>
#include <utility>

namespace smbaudit {

std::vector<std::string> firewall_fact_keys() {
  std::vector<std::string> keys;
  for (std::string_view store : {kFirewallPolicyStore, kFirewallLocalStore}) {
    // The local store names the private profile "StandardProfile".
    const bool local = store == kFirewallLocalStore;
    for (std::string_view profile : {"DomainProfile", local ? "StandardProfile" : "PrivateProfile", "PublicProfile"})
      keys.push_back(std::string(store) + "\\" + std::string(profile));
    keys.push_back(std::string(store) + "\\FirewallRules");
  }
  return keys;
}

namespace {

constexpr std::array<std::pair<Layer, std::string_view>, 3> kLayers{{
    {Layer::AttackSurface, "attack-surface"},
    {Layer::Transit, "transit"},
    {Layer::Identity, "identity"},
}};
constexpr std::array<std::pair<Severity, std::string_view>, 5> kSeverities{{
    {Severity::Info, "info"},
    {Severity::Low, "low"},
    {Severity::Medium, "medium"},
    {Severity::High, "high"},
    {Severity::Critical, "critical"},
}};
constexpr std::array<std::pair<Op, std::string_view>, 11> kOps{{
    {Op::Equals, "equals"},
    {Op::NotEquals, "not_equals"},
    {Op::OneOf, "one_of"},
    {Op::AtLeast, "at_least"},
    {Op::AtMost, "at_most"},
    {Op::BitsSet, "bits_set"},
    {Op::BitsClear, "bits_clear"},
    {Op::Present, "present"},
    {Op::Absent, "absent"},
    {Op::Contains, "contains"},
    {Op::AnyItemContains, "any_item_contains"},
}};

// The one walk over a check's kinds: a kind without facts of its own must have children, or
// this does not compile.
void collect_refs(const Check& check, std::vector<FactRef>& out) {
  const auto add = [&out](FactRef ref) {
    for (const auto& existing : out)
      if (existing == ref) return;
    out.push_back(std::move(ref));
  };
  const auto key = [](std::string path) { return FactRef{FactKind::RegistryKey, std::move(path), {}, {}}; };
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, SettingCheck>) {
          for (const auto& source : node.setting.sources) {
            if (const auto* reg = std::get_if<RegistrySource>(&source.where))
              add(FactRef{FactKind::Registry, reg->key, reg->value, {}});
            else if (const auto* wmi = std::get_if<WmiSource>(&source.where))
              add(FactRef{FactKind::Wmi, {}, wmi->property, wmi->cls});
          }
        } else if constexpr (std::is_same_v<T, ServiceCheck>) {
          add(FactRef{FactKind::Service, node.service, {}, {}});
        } else if constexpr (std::is_same_v<T, RegistryKeyCheck>) {
          add(key(node.key));
        } else if constexpr (std::is_same_v<T, HostCheck>) {
          add(FactRef{FactKind::Host, {}, {}, {}});
        } else if constexpr (std::is_same_v<T, FirewallBlockCheck>) {
          for (auto& k : firewall_fact_keys()) add(key(std::move(k)));
        } else if constexpr (std::is_same_v<T, UncHardeningCheck>) {
          add(key(std::string(kHardenedPathsFactKey)));
        } else if constexpr (std::is_same_v<T, UpdatesCheck>) {
          add(FactRef{FactKind::Wmi, {}, "InstalledOn", WmiClassRef{"root\\cimv2", "Win32_QuickFixEngineering"}});
        } else if constexpr (std::is_same_v<T, AccountPolicyCheck>) {
          add(FactRef{FactKind::AccountPolicy, node.property, {}, {}});
          if (node.property == "min_password_length")
            add(FactRef{
                FactKind::Registry, std::string(kRelaxLengthLimitsKey), std::string(kRelaxLengthLimitsValue), {}});
        } else {
          for (const auto& child : node.children) collect_refs(child, out);
        }
      },
      check.node);
}

}  // namespace

std::string_view to_string(Layer layer) {
  return name_of(kLayers, layer);
}
std::optional<Layer> layer_from_string(std::string_view name) {
  return value_of(kLayers, name);
}
std::string_view to_string(Severity severity) {
  return name_of(kSeverities, severity);
}
std::optional<Severity> severity_from_string(std::string_view name) {
  return value_of(kSeverities, name);
}
std::string_view to_string(Op op) {
  return name_of(kOps, op);
}
std::optional<Op> op_from_string(std::string_view name) {
  return value_of(kOps, name);
}
bool op_takes_operand(Op op) {
  return op != Op::Present && op != Op::Absent;
}

bool HostCondition::empty() const {
  return roles.empty() && !min_build && !max_build && editions.empty() && not_editions.empty() && !membership &&
         !min_version;
}

const Parameter* Rule::parameter(std::string_view name) const {
  for (const auto& p : parameters)
    if (p.name == name) return &p;
  return nullptr;
}

const Rule* RulePack::find(std::string_view id) const {
  for (const auto& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

bool operator==(const FactRef& a, const FactRef& b) {
  return a.kind == b.kind && a.path == b.path && a.name == b.name && a.wmi.name_space == b.wmi.name_space &&
         a.wmi.class_name == b.wmi.class_name;
}

std::vector<FactRef> fact_refs(const Check& check) {
  std::vector<FactRef> out;
  collect_refs(check, out);
  return out;
}

std::string describe(const FactRef& ref) {
  switch (ref.kind) {
    case FactKind::Registry: return "registry " + ref.path + "\\" + ref.name;
    case FactKind::RegistryKey: return "registry key " + ref.path;
    case FactKind::Wmi: return "wmi " + ref.wmi.name_space + ":" + ref.wmi.class_name + "." + ref.name;
    case FactKind::Service: return "service " + ref.path;
    case FactKind::Host: return "host facts";
    case FactKind::AccountPolicy: return "account policy " + ref.path;
  }
  return "host facts";
}

void add_facts(const Check& check, FactPlan& plan) {
  for (auto& ref : fact_refs(check)) {
    switch (ref.kind) {
      case FactKind::Registry:
      case FactKind::RegistryKey: plan.registry_keys.insert(std::move(ref.path)); break;
      case FactKind::Wmi: plan.wmi_classes.insert(std::move(ref.wmi)); break;
      case FactKind::Service: plan.services.insert(std::move(ref.path)); break;
      case FactKind::Host: break;  // host facts are always collected
      case FactKind::AccountPolicy: plan.account_policy = true; break;
    }
  }
}

FactPlan plan_for(const std::vector<const Rule*>& rules) {
  FactPlan plan;
  for (const Rule* rule : rules) add_facts(rule->check, plan);
  return plan;
}

std::vector<std::string> facts_read(const Rule& rule) {
  std::vector<std::string> out;
  for (const auto& ref : fact_refs(rule.check)) out.push_back(describe(ref));
  return out;
}

}  // namespace smbaudit
