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
constexpr std::array<std::pair<Op, std::string_view>, 10> kOps{{
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
}};

void describe_facts(const Check& check, std::vector<std::string>& out) {
  const auto add = [&out](std::string line) {
    for (const auto& existing : out)
      if (existing == line) return;
    out.push_back(std::move(line));
  };
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, SettingCheck>) {
          for (const auto& source : node.setting.sources) {
            if (const auto* reg = std::get_if<RegistrySource>(&source.where))
              add("registry " + reg->key + "\\" + reg->value);
            else if (const auto* wmi = std::get_if<WmiSource>(&source.where))
              add("wmi " + wmi->cls.name_space + ":" + wmi->cls.class_name + "." + wmi->property);
          }
        } else if constexpr (std::is_same_v<T, ServiceCheck>) {
          add("service " + node.service);
        } else if constexpr (std::is_same_v<T, RegistryKeyCheck>) {
          add("registry key " + node.key);
        } else if constexpr (std::is_same_v<T, HostCheck>) {
          add("host facts");
        } else if constexpr (std::is_same_v<T, FirewallBlockCheck>) {
          for (const auto& key : firewall_fact_keys()) add("registry key " + key);
        } else if constexpr (std::is_same_v<T, UncHardeningCheck>) {
          add("registry key " + std::string(kHardenedPathsFactKey));
        } else if constexpr (std::is_same_v<T, UpdatesCheck>) {
          add("wmi root\\cimv2:Win32_QuickFixEngineering.InstalledOn");
        } else if constexpr (std::is_same_v<T, AccountPolicyCheck>) {
          add("account policy " + node.property);
        } else {
          for (const auto& child : node.children) describe_facts(child, out);
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

void add_facts(const Check& check, FactPlan& plan) {
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, SettingCheck>) {
          for (const auto& source : node.setting.sources) {
            if (const auto* reg = std::get_if<RegistrySource>(&source.where))
              plan.registry_keys.insert(reg->key);
            else if (const auto* wmi = std::get_if<WmiSource>(&source.where))
              plan.wmi_classes.insert(wmi->cls);
          }
        } else if constexpr (std::is_same_v<T, ServiceCheck>) {
          plan.services.insert(node.service);
        } else if constexpr (std::is_same_v<T, RegistryKeyCheck>) {
          plan.registry_keys.insert(node.key);
        } else if constexpr (std::is_same_v<T, HostCheck>) {
          // Host facts are always collected.
        } else if constexpr (std::is_same_v<T, FirewallBlockCheck>) {
          for (const auto& key : firewall_fact_keys()) plan.registry_keys.insert(key);
        } else if constexpr (std::is_same_v<T, UncHardeningCheck>) {
          plan.registry_keys.insert(std::string(kHardenedPathsFactKey));
        } else if constexpr (std::is_same_v<T, UpdatesCheck>) {
          plan.wmi_classes.insert(WmiClassRef{"root\\cimv2", "Win32_QuickFixEngineering"});
        } else if constexpr (std::is_same_v<T, AccountPolicyCheck>) {
          plan.account_policy = true;
        } else {
          for (const auto& child : node.children) add_facts(child, plan);
        }
      },
      check.node);
}

FactPlan plan_for(const std::vector<const Rule*>& rules) {
  FactPlan plan;
  for (const Rule* rule : rules) add_facts(rule->check, plan);
  return plan;
}

std::vector<std::string> facts_read(const Rule& rule) {
  std::vector<std::string> out;
  describe_facts(rule.check, out);
  return out;
}

}  // namespace smbaudit
