// Facts: what a fact source collects and the engine evaluates. "Absent" (the
// value does not exist) is data; "could not read" is a FactError.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/text.h"
#include "smbaudit/value.h"

namespace smbaudit {

enum class Role { Workstation, MemberServer, DomainController };
enum class Membership { Workgroup, Domain };
enum class Elevation { Elevated, NotElevated };
enum class Presence { Present, Absent };

[[nodiscard]] std::string_view to_string(Role role);
[[nodiscard]] std::optional<Role> role_from_string(std::string_view name);
[[nodiscard]] std::string role_names();  // "workstation, member_server, domain_controller"
// Maps ProductOptions\ProductType (WinNT, ServerNT, LanmanNT) to a role.
[[nodiscard]] std::optional<Role> role_from_product_type(std::string_view product_type);

// Facts about the audited host itself; optional members may be unknown (an offline image).
struct HostFacts {
  std::string name;
  std::optional<int> build;
  std::optional<int> ubr;
  std::optional<std::string> edition;  // EditionID: Core, Professional, Enterprise, ServerStandard...
  std::optional<std::string> product_name;
  std::optional<std::string> installation_type;  // InstallationType: Client, Server, Server Core...
  std::optional<Role> role;
  std::optional<Membership> membership;
  std::optional<std::string> domain;
  std::optional<std::string> collected_at;  // ISO 8601 UTC
  std::optional<Elevation> elevation;
  // Why a property above is unknown, when the source knows (an API's error, a missing hive),
  // keyed by the report's field name (host_field below).
  std::map<std::string, std::string> unknown_reasons;
};

// The report's names for HostFacts' properties, which key HostFacts::unknown_reasons.
namespace host_field {
inline constexpr const char* kBuild = "os_build";
inline constexpr const char* kUbr = "ubr";
inline constexpr const char* kEdition = "edition";
inline constexpr const char* kRole = "role";
inline constexpr const char* kMembership = "domain_joined";
inline constexpr const char* kElevation = "elevated";
}  // namespace host_field

// `what` ("the host's role is unknown"), then ": " and the source's reason for `field` if any.
[[nodiscard]] std::string unknown_host_property(const HostFacts& host, const std::string& field, std::string what);

// Unknown: the fact cannot be known from this source (offline, namespace missing).
// Error: reading it failed (access denied, corrupt data).
enum class FactProblem { Unknown, Error };

struct FactError {
  FactProblem problem = FactProblem::Error;
  std::string message;
};

template <typename T>
using FactResult = Expected<T, FactError>;

// Which layer over a source (fact_layer.h) said something about a fact, and where it says so.
struct FactOrigin {
  std::string layer;     // the layer's name: "GPO 'SMB baseline' {31B2F340-016D-11D2-945F-00C04FB984F9}"
  std::string location;  // the file and place in it: "Machine\Registry.pol, record at 0x1A4"

  friend bool operator==(const FactOrigin&, const FactOrigin&) = default;
};

// What a layer did (fact_layer.h describes each).
enum class LayerAction {
  SetValue,
  CreateValue,
  DeleteValue,
  DeleteValues,
  DeleteKey,
  CreateKey,
  SetStartType,
  SetPolicy,
  Unknown,  // the layer may change the fact, and cannot say whether it does
};
[[nodiscard]] std::string_view to_string(LayerAction action);  // "set_value", "delete_key"...

// One thing a layer did to a fact, in the order the layers applied.
struct LayerNote {
  LayerAction action = LayerAction::SetValue;
  std::string name;  // the value, or the account policy property; empty when it is about the whole key
  std::string key;   // the key the layer's edit named (a parent, when deleting it deleted this key)
  FactOrigin origin;

  friend bool operator==(const LayerNote&, const LayerNote&) = default;
};

// "set by GPO 'Baseline' {...} (Machine\Registry.pol, record at 0x1A4)", "deleted with key
// HKLM\...\HardenedPaths by ...": what a layer did, for explanations and evidence.
[[nodiscard]] std::string layer_phrase(const LayerNote& note);

// A registry key with every value it holds; a value not listed does not exist, unless only
// part of the key is known (partly_unknown).
struct RegistryKeyFact {
  Presence presence = Presence::Absent;
  std::vector<RegValue> values;
  std::string origin;  // where inside the source it was read, when that differs from the path
  // What layers over the source did to this key and its values, in order; empty for a key as
  // the source itself read it.
  std::vector<LayerNote> layers;
  // Set when the source could not read the key and a layer wrote into it: then only `values`
  // and the layers' deletions are known, and any other value is unknown for this reason.
  std::optional<FactError> partly_unknown;
  // The names of its direct subkeys, each collected as a key of its own, when the plan asks
  // (FactPlan::registry_subkeys) and the source could list them; otherwise nullopt, and
  // subkeys_unknown says why when the source tried.
  std::optional<std::vector<std::string>> subkeys;
  std::optional<FactError> subkeys_unknown;

  [[nodiscard]] const RegValue* find(std::string_view value_name) const;
  // The value (nullptr: absent), or why it cannot be known (a partly known key).
  [[nodiscard]] Expected<const RegValue*, FactError> value(std::string_view value_name) const;
  // The layer note that decided `value_name`: the last one about that value or about the
  // whole key; nullptr when the source beneath decided.
  [[nodiscard]] const LayerNote* decided_by(std::string_view value_name) const;
  // Every layer note about `value_name` or the whole key, in order (explain shows them).
  [[nodiscard]] std::vector<const LayerNote*> history(std::string_view value_name) const;
};

enum class StartType { Boot, System, Automatic, AutomaticDelayed, Manual, Disabled };
enum class ServiceState { Stopped, StartPending, StopPending, Running, ContinuePending, PausePending, Paused };

[[nodiscard]] std::string_view to_string(StartType type);
[[nodiscard]] std::optional<StartType> start_type_from_string(std::string_view name);
[[nodiscard]] std::string start_type_names();
// Maps a service key's Start DWORD (0..4) to a start type.
[[nodiscard]] std::optional<StartType> start_type_from_dword(std::int64_t start);
[[nodiscard]] std::string_view to_string(ServiceState state);
[[nodiscard]] std::optional<ServiceState> service_state_from_string(std::string_view name);

struct ServiceFact {
  Presence presence = Presence::Absent;
  std::optional<StartType> start_type;
  std::optional<ServiceState> state;  // only a live host knows it
  std::string origin;
  std::string state_note;         // why state is unknown, when the source says ("offline image: ...")
  std::vector<LayerNote> layers;  // layers that set the start type, in order
};

using WmiInstance = std::map<std::string, Value, ILess>;

struct WmiClassFact {
  std::vector<WmiInstance> instances;
};

struct WmiClassRef {
  std::string name_space;
  std::string class_name;
  friend bool operator<(const WmiClassRef& a, const WmiClassRef& b);
};

// Local account policy (NetUserModalsGet level 0); on a domain controller, the domain's.
struct AccountPolicyFact {
  std::optional<int> min_password_length;
  std::vector<LayerNote> layers;  // layers that set a property (LayerNote::name), in order

  // The layer note that decided `property`; nullptr when the source beneath decided.
  [[nodiscard]] const LayerNote* decided_by(std::string_view property) const;
};

// The distinct facts a set of rules needs; each is collected once.
struct FactPlan {
  std::set<std::string, ILess> registry_keys;  // "HKLM\..." paths
  // Keys (each also in registry_keys) whose direct subkeys are listed, every subkey then
  // collected as a key of its own: one value per network interface, say.
  std::set<std::string, ILess> registry_subkeys;
  std::set<std::string, ILess> services;
  std::set<WmiClassRef> wmi_classes;
  bool account_policy = false;

  [[nodiscard]] std::size_t size() const;
};

// What a source collected for a plan. A fact the source never collected reads as Unknown.
struct FactSet {
  std::map<std::string, FactResult<RegistryKeyFact>, ILess> registry;
  std::map<std::string, FactResult<ServiceFact>, ILess> services;
  std::map<WmiClassRef, FactResult<WmiClassFact>> wmi;
  std::optional<FactResult<AccountPolicyFact>> account_policy;  // nullopt: not collected

  [[nodiscard]] FactResult<RegistryKeyFact> registry_key(std::string_view path) const;
  // registry_key, for checks that read every value of a key: a partly known key is unknown.
  [[nodiscard]] FactResult<RegistryKeyFact> whole_registry_key(std::string_view path) const;
  [[nodiscard]] FactResult<ServiceFact> service(std::string_view name) const;
  [[nodiscard]] FactResult<WmiClassFact> wmi_class(const WmiClassRef& ref) const;
  [[nodiscard]] FactResult<AccountPolicyFact> account_policy_fact() const;
};

// Registry paths in rules and facts: "HKLM\<SYSTEM|SOFTWARE>\...", no empty components.
// Returns the canonical spelling ("HKLM\" prefix, HKEY_LOCAL_MACHINE folded) or an error text.
[[nodiscard]] Expected<std::string, std::string> normalize_registry_path(std::string_view path);

}  // namespace smbaudit
