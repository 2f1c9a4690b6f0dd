#include "gpo_layer.h"

#include <fmt/format.h>

#include <set>

#include "smbaudit/text.h"

namespace smbaudit::gpo {
namespace {

std::string by(const Origin& origin) {
  return "GPO " + origin.gpo;
}

RegistryEdit edit(LayerAction action, const std::string& key, RegValue value, const Origin& origin) {
  return RegistryEdit{action, key, std::move(value), origin.location(), by(origin), {}};
}

RegistryEdit unknown(const std::string& key, std::string name, const std::vector<std::string>& doubts,
                     const std::optional<Origin>& origin) {
  RegistryEdit e{LayerAction::Unknown, key, RegValue{std::move(name), RegType::Other, {}}, "", "", join(doubts, "; ")};
  if (origin) {
    e.location = origin->location();
    e.by = by(*origin);
  }
  return e;
}

// What the policy does to one key the plan reads, as edits applied in this order: the key's
// deletion (or its values'), its creation, then each value the policy names.
void key_edits(const PolicyState& policy, const std::string& key, LayerEdits& out) {
  const ResolvedKey resolved = policy.resolve_key(key);
  if (!resolved.touched()) return;
  const std::optional<Origin> first =
      resolved.values.empty() ? resolved.base_values_origin : std::optional<Origin>(resolved.values.front().origin);
  if (resolved.presence == KeyPresence::Uncertain || resolved.base_values == BaseValues::Uncertain) {
    out.registry.push_back(unknown(key, "", resolved.doubts, first));
    return;
  }
  const Origin hidden_by = resolved.base_values_origin.value_or(first.value_or(Origin{}));
  if (resolved.presence == KeyPresence::Deleted) {
    out.registry.push_back(edit(LayerAction::DeleteKey, key, {}, hidden_by));
    return;
  }
  if (resolved.base_values == BaseValues::Hidden)
    out.registry.push_back(edit(LayerAction::DeleteValues, key, {}, hidden_by));
  if (resolved.presence == KeyPresence::Present && resolved.values.empty())
    out.registry.push_back(edit(LayerAction::CreateKey, key, {}, hidden_by));
  for (const ResolvedValue& v : resolved.values) {
    switch (v.state) {
      case ValueState::Set: out.registry.push_back(edit(LayerAction::SetValue, key, *v.value, v.origin)); break;
      case ValueState::SetIfAbsent:
        out.registry.push_back(edit(LayerAction::CreateValue, key, *v.value, v.origin));
        break;
      case ValueState::Deleted:
        out.registry.push_back(edit(LayerAction::DeleteValue, key, RegValue{v.name, RegType::Other, {}}, v.origin));
        break;
      case ValueState::Uncertain: out.registry.push_back(unknown(key, v.name, v.doubts, v.origin)); break;
    }
  }
}

// A service's start type is its key's Start value, wherever the policy set it.
void service_edits(const PolicyState& policy, const std::string& service, LayerEdits& out) {
  const auto start = policy.resolve_service_start(service);
  if (!start || start->state == ValueState::SetIfAbsent) return;  // an installed service always has a Start
  ServiceEdit e{service, StartType::Disabled, start->origin.location(), by(start->origin), {}};
  std::optional<StartType> type;
  if (start->state == ValueState::Set && start->value && std::holds_alternative<std::int64_t>(start->value->data))
    type = start_type_from_dword(std::get<std::int64_t>(start->value->data));
  if (type)
    e.start_type = *type;
  else if (start->state == ValueState::Uncertain)
    e.doubt = join(start->doubts, "; ");
  else
    e.doubt = fmt::format("{} leaves the service's Start value {}, which Windows does not read as a start type",
                          start->origin.describe(), start->state == ValueState::Deleted ? "deleted" : "invalid");
  out.services.push_back(std::move(e));
}

// The WMI classes the rules read that report registry settings a GPO can write: the class,
// and the key (with the keys below it) and value ("" for any) it mirrors.
struct Mirror {
  std::string_view name_space, class_name, key, value;
};
constexpr Mirror kMirrors[] = {
    {"root\\Microsoft\\Windows\\SMB", "MSFT_SmbClientConfiguration",
     "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation", ""},
    {"root\\Microsoft\\Windows\\SMB", "MSFT_SmbClientConfiguration",
     "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation", ""},
    {"root\\Microsoft\\Windows\\SMB", "MSFT_SmbServerConfiguration",
     "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer", ""},
    {"root\\Microsoft\\Windows\\SMB", "MSFT_SmbServerConfiguration",
     "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanServer", ""},
    {"root\\Microsoft\\Windows\\SMB", "MSFT_SmbServerConfiguration",
     "HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10", ""},
    {"root\\Microsoft\\Windows\\DeviceGuard", "Win32_DeviceGuard",
     "HKLM\\SYSTEM\\CurrentControlSet\\Control\\DeviceGuard", ""},
    {"root\\Microsoft\\Windows\\DeviceGuard", "Win32_DeviceGuard",
     "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\DeviceGuard", ""},
    {"root\\Microsoft\\Windows\\DeviceGuard", "Win32_DeviceGuard", "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa",
     "LsaCfgFlags"},
};

bool at_or_below(std::string_view key, std::string_view base) {
  return iequals(key, base) || (key.size() > base.size() && key[base.size()] == '\\' && istarts_with(key, base));
}

// The first edit that changes a setting `cls` reports, or nullptr.
const RegistryEdit* mirrored_edit(const WmiClassRef& cls, const std::vector<RegistryEdit>& edits) {
  for (const Mirror& m : kMirrors) {
    if (!iequals(cls.name_space, m.name_space) || !iequals(cls.class_name, m.class_name)) continue;
    for (const RegistryEdit& e : edits)
      if (at_or_below(e.key, m.key) && (m.value.empty() || e.value.name.empty() || iequals(e.value.name, m.value)))
        return &e;
  }
  return nullptr;
}

class GpoLayer final : public FactLayer {
 public:
  explicit GpoLayer(PolicyState policy) : policy_(std::move(policy)) {}

  [[nodiscard]] std::string name() const override {
    std::vector<std::string> names;
    for (const auto& info : policy_.gpos()) names.push_back("GPO " + info.label());
    return "Group Policy (" + join(names, ", then ") + ")";
  }

  [[nodiscard]] Expected<LayerEdits, CollectError> edits(const FactPlan& plan, const FactSet& beneath) const override {
    LayerEdits out;
    // The plan's keys in order, parents before the keys below them: a parent's deletion
    // comes before what the policy writes below it.
    for (const auto& key : plan.registry_keys) key_edits(policy_, key, out);
    for (const auto& parent : plan.registry_subkeys) subkey_edits(parent, plan, beneath, out);
    for (const auto& service : plan.services) service_edits(policy_, service, out);
    // The base's WMI configuration classes describe the host before this policy: one that
    // mirrors a registry setting the policy writes may no longer hold, and must not decide a
    // rule with a stale effective value (the registry the policy wrote decides instead).
    for (const auto& cls : plan.wmi_classes)
      if (const RegistryEdit* e = mirrored_edit(cls, out.registry))
        out.wmi.push_back(WmiEdit{cls, fmt::format("{} {} was read before {} changed {}{}{}, which it reports; "
                                                   "the registry decides",
                                                   cls.name_space, cls.class_name, e->by.empty() ? name() : e->by,
                                                   e->key, e->value.name.empty() ? "" : "\\", e->value.name)});
    if (plan.account_policy)
      if (auto length = policy_.account_setting("MinimumPasswordLength"))
        if (const auto* n = std::get_if<std::int64_t>(&length->value); n && *n >= 0 && *n <= 1024)
          out.account_policy.push_back(
              AccountPolicyEdit{static_cast<int>(*n), length->origin.location(), by(length->origin)});
    return out;
  }

 private:
  // The edits of every subkey of a listed key: those beneath, and those the policy names (a
  // key it writes further down creates the subkey: resolve_key sees writes below a key).
  void subkey_edits(const std::string& parent, const FactPlan& plan, const FactSet& beneath, LayerEdits& out) const {
    std::set<std::string, ILess> children;
    if (auto it = beneath.registry.find(parent); it != beneath.registry.end() && it->second && it->second->subkeys)
      for (const auto& name : *it->second->subkeys) children.insert(parent + "\\" + name);
    for (const auto& key : policy_.keys())
      if (key.size() > parent.size() + 1 && key[parent.size()] == '\\' && istarts_with(key, parent))
        children.insert(key.substr(0, key.find('\\', parent.size() + 1)));
    for (const auto& child : children)
      if (!plan.registry_keys.count(child)) key_edits(policy_, child, out);
  }

  PolicyState policy_;
};

}  // namespace

std::shared_ptr<const FactLayer> make_gpo_layer(PolicyState policy) {
  return std::make_shared<const GpoLayer>(std::move(policy));
}

Expected<std::shared_ptr<const FactLayer>, std::string> open_gpo_layer(
    const std::vector<std::filesystem::path>& folders) {
  PolicyState policy;
  for (const auto& folder : folders) {
    SMBAUDIT_TRY_ASSIGN(const Gpo gpo, load_gpo(folder));
    policy.add(gpo);
  }
  return make_gpo_layer(std::move(policy));
}

}  // namespace smbaudit::gpo
