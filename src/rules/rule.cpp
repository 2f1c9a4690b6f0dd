#include "smbaudit/rule.h"
#include "../core/enum_names.h"

#include <fmt/format.h>

#include <array>
#include <ostream>
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
    {Severity::Critical, "critical"},  // most severe first: how messages list them
    {Severity::High, "high"},
    {Severity::Medium, "medium"},
    {Severity::Low, "low"},
    {Severity::Info, "info"},
}};
constexpr std::array<std::pair<Op, std::string_view>, 12> kOps{{
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
    {Op::SubsetOf, "subset_of"},
}};

constexpr std::array<std::pair<ServiceProperty, std::string_view>, 3> kServiceProperties{{
    {ServiceProperty::Presence, "presence"},
    {ServiceProperty::StartType, "start_type"},
    {ServiceProperty::State, "state"},
}};
constexpr std::array<std::pair<HostProperty, std::string_view>, 5> kHostProperties{{
    {HostProperty::Build, "build"},
    {HostProperty::Ubr, "ubr"},
    {HostProperty::Edition, "edition"},
    {HostProperty::Role, "role"},
    {HostProperty::Membership, "membership"},
}};

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
std::string layer_names() {
  return names_of(kLayers);
}
std::string severity_names() {
  return names_of(kSeverities);
}
std::string op_names() {
  return names_of(kOps);
}
std::string_view to_string(ServiceProperty property) {
  return name_of(kServiceProperties, property);
}
std::optional<ServiceProperty> service_property_from_string(std::string_view name) {
  return value_of(kServiceProperties, name);
}
std::string service_property_names() {
  return names_of(kServiceProperties);
}
std::string_view to_string(HostProperty property) {
  return name_of(kHostProperties, property);
}
std::optional<HostProperty> host_property_from_string(std::string_view name) {
  return value_of(kHostProperties, name);
}
std::string host_property_names() {
  return names_of(kHostProperties);
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

std::string describe_roles(const std::vector<Role>& roles) {
  std::vector<std::string> names;
  for (auto r : roles) names.emplace_back(to_string(r));
  return join(names, " or ");
}

std::string describe(const HostCondition& c) {
  std::vector<std::string> parts;
  if (!c.roles.empty()) parts.push_back(describe_roles(c.roles));
  if (c.min_build) parts.push_back(fmt::format("build >= {}", *c.min_build));
  if (c.max_build) parts.push_back(fmt::format("build <= {}", *c.max_build));
  if (c.min_version) parts.push_back(fmt::format("version >= {}.{}", c.min_version->first, c.min_version->second));
  if (!c.editions.empty()) parts.push_back("edition " + join(c.editions, "/"));
  if (!c.not_editions.empty()) parts.push_back("edition not " + join(c.not_editions, "/"));
  if (c.membership) parts.push_back(*c.membership == Membership::Domain ? "domain-joined" : "not domain-joined");
  if (parts.empty()) return "any host";
  return join(parts, ", ");
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

void FactRefs::add(FactRef ref) {
  for (const auto& existing : refs_)
    if (existing == ref) return;
  refs_.push_back(std::move(ref));
}

void FactRefs::add(const Check& check) {
  std::visit([this](const auto& node) { node.facts(*this); }, check.node);
}

std::vector<FactRef> fact_refs(const Check& check) {
  FactRefs refs;
  refs.add(check);
  return refs.take();
}

void print_check(const Check& check, int depth, std::ostream& out) {
  std::visit([&](const auto& node) { node.show(out, depth, check); }, check.node);
}

std::string operand_text(Op op, const Operand& o) {
  if (!op_takes_operand(op)) return std::string(to_string(op));
  if (o.parameter) return fmt::format("{} parameter '{}'", to_string(op), *o.parameter);
  if (op == Op::OneOf) {
    std::vector<std::string> parts;
    for (const auto& c : o.choices) parts.push_back(describe(c));
    return fmt::format("one_of [{}]", join(parts, ", "));
  }
  return fmt::format("{} {}", to_string(op), describe(o.literal));
}

std::string describe(const FactRef& ref) {
  switch (ref.kind) {
    case FactKind::Registry: return "registry " + ref.path + "\\" + ref.name;
    case FactKind::RegistryKey: return "registry key " + ref.path;
    case FactKind::RegistrySubkeys: return "registry subkeys " + ref.path + "\\*\\" + ref.name;
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
      case FactKind::RegistrySubkeys:
        plan.registry_keys.insert(ref.path);
        plan.registry_subkeys.insert(std::move(ref.path));
        break;
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
