#include "smbaudit/facts.h"
#include "enum_names.h"

#include <array>
#include <tuple>
#include <utility>

namespace smbaudit {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 3> kRoles{{
    {Role::Workstation, "workstation"},
    {Role::MemberServer, "member_server"},
    {Role::DomainController, "domain_controller"},
}};

constexpr std::array<std::pair<StartType, std::string_view>, 6> kStartTypes{{
    {StartType::Boot, "boot"},
    {StartType::System, "system"},
    {StartType::Automatic, "automatic"},
    {StartType::AutomaticDelayed, "automatic_delayed"},
    {StartType::Manual, "manual"},
    {StartType::Disabled, "disabled"},
}};

constexpr std::array<std::pair<ServiceState, std::string_view>, 7> kStates{{
    {ServiceState::Stopped, "stopped"},
    {ServiceState::StartPending, "start_pending"},
    {ServiceState::StopPending, "stop_pending"},
    {ServiceState::Running, "running"},
    {ServiceState::ContinuePending, "continue_pending"},
    {ServiceState::PausePending, "pause_pending"},
    {ServiceState::Paused, "paused"},
}};

constexpr std::array<std::pair<LayerAction, std::string_view>, 9> kLayerActions{{
    {LayerAction::SetValue, "set_value"},
    {LayerAction::CreateValue, "create_value"},
    {LayerAction::DeleteValue, "delete_value"},
    {LayerAction::DeleteValues, "delete_values"},
    {LayerAction::DeleteKey, "delete_key"},
    {LayerAction::CreateKey, "create_key"},
    {LayerAction::SetStartType, "set_start_type"},
    {LayerAction::SetPolicy, "set_policy"},
    {LayerAction::Unknown, "unknown"},
}};

// A note about the value `name` itself, or a deletion of the whole key or of all its values,
// which decides every value in it (creating a key decides none).
bool about(const LayerNote& note, std::string_view name) {
  if (!note.name.empty()) return iequals(note.name, name);
  return note.action == LayerAction::DeleteKey || note.action == LayerAction::DeleteValues;
}

FactError not_collected(std::string_view what) {
  return FactError{FactProblem::Unknown, std::string(what) + " was not collected by this source"};
}

}  // namespace

std::string_view to_string(Role role) {
  return name_of(kRoles, role);
}
std::optional<Role> role_from_string(std::string_view name) {
  return value_of(kRoles, name);
}
std::string role_names() {
  return names_of(kRoles);
}

std::string unknown_host_property(const HostFacts& host, const std::string& field, std::string what) {
  if (auto it = host.unknown_reasons.find(field); it != host.unknown_reasons.end()) what += ": " + it->second;
  return what;
}

std::optional<Role> role_from_product_type(std::string_view product_type) {
  if (iequals(product_type, "WinNT")) return Role::Workstation;
  if (iequals(product_type, "ServerNT")) return Role::MemberServer;
  if (iequals(product_type, "LanmanNT")) return Role::DomainController;
  return std::nullopt;
}

std::string_view to_string(StartType type) {
  return name_of(kStartTypes, type);
}
std::optional<StartType> start_type_from_string(std::string_view name) {
  return value_of(kStartTypes, name);
}
std::string start_type_names() {
  return names_of(kStartTypes);
}
std::string_view to_string(ServiceState state) {
  return name_of(kStates, state);
}
std::optional<ServiceState> service_state_from_string(std::string_view name) {
  return value_of(kStates, name);
}

std::optional<StartType> start_type_from_dword(std::int64_t start) {
  switch (start) {
    case 0: return StartType::Boot;
    case 1: return StartType::System;
    case 2: return StartType::Automatic;
    case 3: return StartType::Manual;
    case 4: return StartType::Disabled;
    default: return std::nullopt;
  }
}

std::string_view to_string(LayerAction action) {
  return name_of(kLayerActions, action);
}

std::string layer_phrase(const LayerNote& note) {
  std::string verb;
  switch (note.action) {
    case LayerAction::SetValue:
    case LayerAction::SetStartType:
    case LayerAction::SetPolicy: verb = "set"; break;
    case LayerAction::CreateValue: verb = "created"; break;
    case LayerAction::DeleteValue: verb = "deleted"; break;
    case LayerAction::DeleteValues: verb = "deleted with every value of its key"; break;
    case LayerAction::DeleteKey: verb = "deleted with key " + note.key; break;
    case LayerAction::CreateKey: verb = "key created"; break;
    case LayerAction::Unknown: verb = "made unknown"; break;
  }
  std::string out = verb + " by " + note.origin.layer;
  if (!note.origin.location.empty()) out += " (" + note.origin.location + ")";
  return out;
}

const RegValue* RegistryKeyFact::find(std::string_view value_name) const {
  for (const auto& v : values)
    if (iequals(v.name, value_name)) return &v;
  return nullptr;
}

Expected<const RegValue*, FactError> RegistryKeyFact::value(std::string_view value_name) const {
  if (presence == Presence::Absent) return static_cast<const RegValue*>(nullptr);
  if (const RegValue* v = find(value_name)) return v;
  // A value a layer deleted is known to be absent even where the rest of the key is not.
  if (partly_unknown)
    if (const LayerNote* note = decided_by(value_name); !note || note->action != LayerAction::DeleteValue)
      return Unexpected(*partly_unknown);
  return static_cast<const RegValue*>(nullptr);
}

const LayerNote* RegistryKeyFact::decided_by(std::string_view value_name) const {
  for (auto it = layers.rbegin(); it != layers.rend(); ++it)
    if (about(*it, value_name)) return &*it;
  return nullptr;
}

std::vector<const LayerNote*> RegistryKeyFact::history(std::string_view value_name) const {
  std::vector<const LayerNote*> out;
  for (const auto& note : layers)
    if (about(note, value_name)) out.push_back(&note);
  return out;
}

const LayerNote* AccountPolicyFact::decided_by(std::string_view property) const {
  for (auto it = layers.rbegin(); it != layers.rend(); ++it)
    if (iequals(it->name, property)) return &*it;
  return nullptr;
}

bool operator<(const WmiClassRef& a, const WmiClassRef& b) {
  const ILess less;
  if (less(a.name_space, b.name_space)) return true;
  if (less(b.name_space, a.name_space)) return false;
  return less(a.class_name, b.class_name);
}

std::size_t FactPlan::size() const {
  return registry_keys.size() + services.size() + wmi_classes.size() + (account_policy ? 1 : 0);
}

FactResult<RegistryKeyFact> FactSet::registry_key(std::string_view path) const {
  auto it = registry.find(path);
  if (it == registry.end()) return Unexpected(not_collected("registry key " + std::string(path)));
  return it->second;
}

FactResult<RegistryKeyFact> FactSet::whole_registry_key(std::string_view path) const {
  auto key = registry_key(path);
  if (key && key->partly_unknown) return Unexpected(*key->partly_unknown);
  return key;
}

FactResult<ServiceFact> FactSet::service(std::string_view name) const {
  auto it = services.find(name);
  if (it == services.end()) return Unexpected(not_collected("service " + std::string(name)));
  return it->second;
}

FactResult<WmiClassFact> FactSet::wmi_class(const WmiClassRef& ref) const {
  auto it = wmi.find(ref);
  if (it == wmi.end()) return Unexpected(not_collected("WMI class " + ref.name_space + ":" + ref.class_name));
  return it->second;
}

FactResult<AccountPolicyFact> FactSet::account_policy_fact() const {
  if (!account_policy) return Unexpected(not_collected("the account policy"));
  return *account_policy;
}

Expected<std::string, std::string> normalize_registry_path(std::string_view path) {
  std::string_view rest;
  if (istarts_with(path, "HKLM\\")) {
    rest = path.substr(5);
  } else if (istarts_with(path, "HKEY_LOCAL_MACHINE\\")) {
    rest = path.substr(19);
  } else {
    return Unexpected(std::string("registry path must start with HKLM\\ (only HKEY_LOCAL_MACHINE is audited): ") +
                      std::string(path));
  }
  if (!(istarts_with(rest, "SYSTEM\\") || istarts_with(rest, "SOFTWARE\\") || iequals(rest, "SYSTEM") ||
        iequals(rest, "SOFTWARE")))
    return Unexpected("registry path must be under HKLM\\SYSTEM or HKLM\\SOFTWARE: " + std::string(path));
  std::size_t start = 0;
  while (start <= rest.size()) {
    const std::size_t end = rest.find('\\', start);
    const std::string_view part = rest.substr(start, end == std::string_view::npos ? end : end - start);
    if (part.empty()) return Unexpected("registry path has an empty component: " + std::string(path));
    if (part.size() > 255) return Unexpected("registry key name longer than 255 characters in: " + std::string(path));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (rest.find('/') != std::string_view::npos)
    return Unexpected("registry path uses '/' instead of '\\': " + std::string(path));
  return "HKLM\\" + std::string(rest);
}

}  // namespace smbaudit
