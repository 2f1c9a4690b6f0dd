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

// A registry key with every value it holds; a value not listed does not exist.
struct RegistryKeyFact {
  Presence presence = Presence::Absent;
  std::vector<RegValue> values;
  std::string origin;  // where inside the source it was read, when that differs from the path

  [[nodiscard]] const RegValue* find(std::string_view value_name) const;
};

enum class StartType { Boot, System, Automatic, AutomaticDelayed, Manual, Disabled };
enum class ServiceState { Stopped, StartPending, StopPending, Running, ContinuePending, PausePending, Paused };

[[nodiscard]] std::string_view to_string(StartType type);
[[nodiscard]] std::optional<StartType> start_type_from_string(std::string_view name);
// Maps a service key's Start DWORD (0..4) to a start type.
[[nodiscard]] std::optional<StartType> start_type_from_dword(std::int64_t start);
[[nodiscard]] std::string_view to_string(ServiceState state);
[[nodiscard]] std::optional<ServiceState> service_state_from_string(std::string_view name);

struct ServiceFact {
  Presence presence = Presence::Absent;
  std::optional<StartType> start_type;
  std::optional<ServiceState> state;  // only a live host knows it
  std::string origin;
  std::string state_note;  // why state is unknown, when the source says ("offline image: ...")
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
};

// The distinct facts a set of rules needs; each is collected once.
struct FactPlan {
  std::set<std::string, ILess> registry_keys;  // "HKLM\..." paths
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
  [[nodiscard]] FactResult<ServiceFact> service(std::string_view name) const;
  [[nodiscard]] FactResult<WmiClassFact> wmi_class(const WmiClassRef& ref) const;
  [[nodiscard]] FactResult<AccountPolicyFact> account_policy_fact() const;
};

// Registry paths in rules and facts: "HKLM\<SYSTEM|SOFTWARE>\...", no empty components.
// Returns the canonical spelling ("HKLM\" prefix, HKEY_LOCAL_MACHINE folded) or an error text.
[[nodiscard]] Expected<std::string, std::string> normalize_registry_path(std::string_view path);

}  // namespace smbaudit
