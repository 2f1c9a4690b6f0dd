// The in-memory form of a rule: what rules/*.json declare, validated.
#pragma once

#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smbaudit/facts.h"
#include "smbaudit/patch_table.h"
#include "smbaudit/value.h"

namespace smbaudit {

enum class Layer { AttackSurface, Transit, Identity };
enum class Severity { Info, Low, Medium, High, Critical };

inline constexpr Layer kAllLayers[] = {Layer::AttackSurface, Layer::Transit, Layer::Identity};

[[nodiscard]] std::string_view to_string(Layer layer);
[[nodiscard]] std::optional<Layer> layer_from_string(std::string_view name);
[[nodiscard]] std::string_view to_string(Severity severity);
[[nodiscard]] std::optional<Severity> severity_from_string(std::string_view name);
// "attack-surface, transit, identity": the names a rule file may use, for "(allowed: ...)".
[[nodiscard]] std::string layer_names();
[[nodiscard]] std::string severity_names();

// A condition on the host, used for applicability and for choosing Windows' default.
struct HostCondition {
  std::vector<Role> roles;  // empty: any role
  std::optional<int> min_build;
  std::optional<int> max_build;
  std::vector<std::string> editions;      // EditionID globs ("Server*"); empty: any
  std::vector<std::string> not_editions;  // EditionID globs excluded
  std::optional<Membership> membership;
  std::optional<std::pair<int, int>> min_version;  // build and UBR, e.g. 26100.3613 (26101 and later qualify)

  [[nodiscard]] bool empty() const;
};

// Renders a condition for explanations ("build >= 26100, edition not Core"; "any host").
[[nodiscard]] std::string describe(const HostCondition& condition);
// "workstation or member_server".
[[nodiscard]] std::string describe_roles(const std::vector<Role>& roles);

enum class Op {
  Equals,
  NotEquals,
  OneOf,
  AtLeast,
  AtMost,
  BitsSet,
  BitsClear,
  Present,
  Absent,
  Contains,
  AnyItemContains,
  SubsetOf
};

[[nodiscard]] std::string_view to_string(Op op);
[[nodiscard]] std::optional<Op> op_from_string(std::string_view name);
[[nodiscard]] std::string op_names();
[[nodiscard]] bool op_takes_operand(Op op);

// A comparison's right-hand side: a literal, or a rule parameter that profiles may override.
struct Operand {
  Value literal;
  std::vector<Value> choices;  // one_of
  std::optional<std::string> parameter;
};

struct RegistrySource {
  std::string key;  // canonical "HKLM\..." path
  std::string value;
};

struct WmiSource {
  WmiClassRef cls;
  std::string property;
};

// What to do when a source cannot be known (a WMI namespace missing, an offline image).
enum class WhenUnavailable { Unknown, Skip };

struct Source {
  std::variant<RegistrySource, WmiSource> where;
  WhenUnavailable when_unavailable = WhenUnavailable::Unknown;
  HostCondition read_when;  // hosts on which Windows reads this source at all; empty: every host
};

struct DefaultCase {
  HostCondition when;
  Value value;  // monostate: Windows has no value here (the setting stays absent)
  std::string note;
  // Non-empty: on these hosts Windows' default depends on what the registry does not show
  // (hardware, installation history), so the setting is unknown for this reason.
  std::string unknown;
};

// How to read a value's data before comparing: as is, or one field of a "k=v, k=v" list.
struct KvField {
  std::string field;
};

// An effective setting: the first present source in precedence order decides;
// when every source is absent, the first matching default applies.
struct Setting {
  std::vector<Source> sources;
  std::vector<DefaultCase> defaults;
  std::optional<KvField> parse;
};

enum class ServiceProperty { Presence, StartType, State };
enum class HostProperty { Build, Ubr, Edition, Role, Membership };

[[nodiscard]] std::string_view to_string(ServiceProperty property);
[[nodiscard]] std::optional<ServiceProperty> service_property_from_string(std::string_view name);
[[nodiscard]] std::string service_property_names();
[[nodiscard]] std::string_view to_string(HostProperty property);
[[nodiscard]] std::optional<HostProperty> host_property_from_string(std::string_view name);
[[nodiscard]] std::string host_property_names();

// One fact a check reads, as data: the fact plan, the "Reads:" lines and the place a finding
// lives (SARIF locations and fingerprints) all come from these, never from each other's text.
enum class FactKind { Registry, RegistryKey, RegistrySubkeys, Wmi, Service, Host, AccountPolicy };
struct FactRef {
  FactKind kind = FactKind::Host;
  std::string path;  // Registry, RegistryKey, RegistrySubkeys: the key; Service: its name; AccountPolicy: the property
  std::string name;  // Registry, RegistrySubkeys: the value name; Wmi: the property
  WmiClassRef wmi;   // Wmi only
  friend bool operator==(const FactRef& a, const FactRef& b);
};
struct Check;
// The facts a check reads, each once, in the order it reads them.
class FactRefs {
 public:
  void add(FactRef ref);
  void add(const Check& check);  // every fact of `check` (and of its parts)
  [[nodiscard]] const std::vector<FactRef>& list() const { return refs_; }
  [[nodiscard]] std::vector<FactRef> take() { return std::move(refs_); }

 private:
  std::vector<FactRef> refs_;
};

// A check kind lives in one place. Its struct below declares all of it, and every stage
// reaches it through one exhaustive visit of Check::node, so a kind that lacks a piece does
// not build (a declaration left out does not compile, a definition left out does not link):
// - kKeys, parse, facts, show: src/rules/checks/<kind>.cpp (its JSON spelling, how it is
//   read and validated, the facts it plans, its `rules show` / `explain` lines);
// - evaluate: src/engine/checks/<kind>.cpp.
// docs/ARCHITECTURE.md lists what else a new kind touches (the editor schema, the docs).
class CheckReader;   // src/rules/check_reader.h: one check's JSON object, every problem collected
class CheckContext;  // src/engine/check_context.h: what an evaluation may read and record
struct Outcome;      // src/engine/outcome.h: a status and its explanation

#define SMBAUDIT_CHECK_KIND(Kind)                                   \
  static Kind parse(CheckReader& in, std::string_view key);         \
  void facts(FactRefs& out) const;                                  \
  void show(std::ostream& out, int depth, const Check& self) const; \
  Outcome evaluate(CheckContext& context, const Check& self) const

struct SettingCheck {
  static constexpr std::string_view kKeys[] = {"setting"};
  Setting setting;
  Op op = Op::Equals;
  Operand operand;
  SMBAUDIT_CHECK_KIND(SettingCheck);
};
struct ServiceCheck {
  static constexpr std::string_view kKeys[] = {"service"};
  std::string service;
  ServiceProperty property = ServiceProperty::Presence;
  Op op = Op::Present;
  Operand operand;
  // State only: Skip holds the condition where the source cannot see the running state (an
  // offline image, a snapshot without it), so that the start type beside it decides there.
  WhenUnavailable when_unavailable = WhenUnavailable::Unknown;
  SMBAUDIT_CHECK_KIND(ServiceCheck);
};
struct RegistryKeyCheck {
  static constexpr std::string_view kKeys[] = {"registry_key"};
  std::string key;
  Op op = Op::Present;
  SMBAUDIT_CHECK_KIND(RegistryKeyCheck);
};
// One value in every direct subkey of a key (NetBT's per-interface NetbiosOptions): passes
// only when the key has subkeys and each holds a value that compares as asked.
struct EverySubkeyCheck {
  static constexpr std::string_view kKeys[] = {"every_subkey"};
  std::string key;
  std::string value;  // the value each subkey must hold
  Op op = Op::Equals;
  Operand operand;
  SMBAUDIT_CHECK_KIND(EverySubkeyCheck);
};
struct HostCheck {
  static constexpr std::string_view kKeys[] = {"host"};
  HostProperty property = HostProperty::Build;
  Op op = Op::Equals;
  Operand operand;
  SMBAUDIT_CHECK_KIND(HostCheck);
};

// Outbound SMB blocked: both firewall stores' profile switches and rule strings.
struct FirewallBlockCheck {
  static constexpr std::string_view kKeys[] = {"firewall_outbound_block"};
  int protocol = 6;                   // IANA protocol number (6 = TCP)
  int port = 445;                     // remote port that must be blocked
  std::vector<std::string> profiles;  // "domain", "private", "public": each must block
  SMBAUDIT_CHECK_KIND(FirewallBlockCheck);
};

// UNC hardened paths: required patterns must be covered with the required flags, and no
// entry may switch a required flag off for them.
struct UncHardeningCheck {
  static constexpr std::string_view kKeys[] = {"unc_hardened_paths"};
  std::vector<std::string> paths;                    // e.g. \\*\SYSVOL
  std::optional<std::string> extra_paths_parameter;  // a StringList parameter of more paths
  std::vector<std::string> flags;                    // e.g. RequireMutualAuthentication, RequireIntegrity
  std::optional<std::string> privacy_parameter;      // a boolean parameter: also RequirePrivacy
  std::optional<int> default_from_build;             // Windows enforces the flags for SYSVOL/NETLOGON from here
  SMBAUDIT_CHECK_KIND(UncHardeningCheck);
};

// Security updates current: the newest Win32_QuickFixEngineering.InstalledOn within N days
// of the collection time.
struct UpdatesCheck {
  static constexpr std::string_view kKeys[] = {"updates_installed_within_days"};
  Operand max_age_days;
  SMBAUDIT_CHECK_KIND(UpdatesCheck);
};

// A local account policy value (NetUserModalsGet; only a live host can give it).
// A min_password_length check also reads kRelaxLengthLimits (see below).
struct AccountPolicyCheck {
  static constexpr std::string_view kKeys[] = {"account_policy"};
  std::string property;  // min_password_length
  Op op = Op::AtLeast;
  Operand operand;
  SMBAUDIT_CHECK_KIND(AccountPolicyCheck);
};

// Patch level: the host's build and UBR at or above the fix of every CVE the pack's table
// (a data file, docs/patch-level.md) lists for its build; unknown for a build it lacks.
struct PatchLevelCheck {
  static constexpr std::string_view kKeys[] = {"patch_level"};
  std::string table_path;                   // in the pack: "data/patch-level.json"
  std::shared_ptr<const PatchTable> table;  // read with the pack
  SMBAUDIT_CHECK_KIND(PatchLevelCheck);
};

enum class Combinator { AllOf, AnyOf, Not };
struct CompositeCheck {
  static constexpr std::string_view kKeys[] = {"all_of", "any_of", "not"};
  Combinator combinator = Combinator::AllOf;
  std::vector<Check> children;
  SMBAUDIT_CHECK_KIND(CompositeCheck);
};

// Every check kind, once: parsing, planning, `rules show` and evaluation visit this list.
struct Check {
  using Node =
      std::variant<SettingCheck, ServiceCheck, RegistryKeyCheck, EverySubkeyCheck, HostCheck, FirewallBlockCheck,
                   UncHardeningCheck, UpdatesCheck, AccountPolicyCheck, PatchLevelCheck, CompositeCheck>;
  Node node;
  std::string label;    // optional human name for this part ("client signing")
  std::string pointer;  // JSON pointer in the rule file, for messages
};

struct Parameter {
  std::string name;
  Value default_value;
  std::string description;
};

// OnlyIfSet: written only where the value is set, because when it is absent Windows'
// default already satisfies the rule (a maximum dialect, say).
enum class FixScope { Always, OnlyIfSet };

// One registry value a fix writes: machine-usable, so remediate never has to parse prose.
struct RegistryFix {
  std::string key;                               // canonical "HKLM\..." path
  std::string value;                             // value name; empty when value_parameter names them
  std::optional<std::string> value_parameter;    // a string-list parameter: one value per item (extra UNC paths)
  RegType type = RegType::Dword;                 // REG_DWORD, REG_QWORD, REG_SZ, REG_EXPAND_SZ or REG_MULTI_SZ
  Operand data;                                  // literal, or the parameter's effective value
  HostCondition when;                            // hosts on which Windows reads this value; empty: every host
  std::map<std::string, Value> when_parameters;  // written only when these parameters have these values
  FixScope scope = FixScope::Always;
};

// A service start type a fix sets (sc.exe config / the service key's Start value).
struct ServiceFix {
  std::string service;
  StartType start_type = StartType::Disabled;
};

// An account policy setting a fix sets: a security template's [System Access] line in a GPO
// ([MS-GPSB] 2.2.1), `net accounts` on the host.
struct AccountPolicyFix {
  std::string setting;  // the [System Access] name; the pack reads "MinimumPasswordLength" only
  Operand value;        // literal, or the parameter's effective value (a number)
};

struct Remediation {
  std::string summary;
  std::string powershell;
  std::string group_policy;
  std::vector<RegistryFix> registry;  // the automatic fix, applied together
  std::vector<ServiceFix> services;
  std::vector<AccountPolicyFix> account_policy;
  std::string manual;   // set instead of registry/services/account_policy: why there is no safe automatic fix
  std::string caution;  // what the fix can break (access to older peers...); such fixes are listed first

  [[nodiscard]] bool automatic() const { return !registry.empty() || !services.empty() || !account_policy.empty(); }
};

struct Rule {
  std::string id;
  std::string title;
  Layer layer = Layer::AttackSurface;
  Severity severity = Severity::Medium;
  HostCondition applies_to;
  std::vector<Parameter> parameters;
  Check check;
  std::string rationale;
  Remediation remediation;
  std::vector<std::string> references;
  std::string file;  // the rule file it came from

  [[nodiscard]] const Parameter* parameter(std::string_view name) const;
};

struct RulePack {
  std::string origin;  // a directory, or "built-in"
  std::vector<Rule> rules;
  std::vector<std::string> scope_notes;  // what a host audit cannot see, said rather than guessed

  [[nodiscard]] const Rule* find(std::string_view id) const;
};

// Where the specialised checks read: the plan (rules) and the evaluation (engine) share these.
inline constexpr std::string_view kFirewallPolicyStore = "HKLM\\SOFTWARE\\Policies\\Microsoft\\WindowsFirewall";
inline constexpr std::string_view kFirewallLocalStore =
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy";
// The registry keys the firewall check reads (both stores' profiles and rules).
[[nodiscard]] std::vector<std::string> firewall_fact_keys();
// "Relax minimum password length limits" (Account Policies > Password Policy): Windows takes a
// minimum password length above 14 only where this value is 1, and only from Windows 10 2004
// (build 19041) and Windows Server 2022 on ("Minimum password length", Microsoft Learn; the
// setting is a Security Option stored as the registry value below). A length check reads it: a Group Policy length
// above 14 without it does not apply, and a fix that raises the length past 14 sets it.
inline constexpr std::string_view kRelaxLengthLimitsKey = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SAM";
inline constexpr std::string_view kRelaxLengthLimitsValue = "RelaxMinimumPasswordLengthLimits";
inline constexpr int kLegacyMaxPasswordLength = 14;
inline constexpr int kRelaxLengthLimitsFirstBuild = 19041;

inline constexpr std::string_view kHardenedPathsFactKey =
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths";

// The rule with its title and fix texts showing the parameter values in effect: the rule's
// defaults, overridden by `overrides` (a profile's). "at least {{min_length}}" reads "at least
// 14" under a profile that sets 14 (placeholders: src/rules/text_template.h).
[[nodiscard]] Rule with_parameters(const Rule& rule, const std::map<std::string, Value>& overrides);

// The facts a check reads, in the order it reads them, each once.
[[nodiscard]] std::vector<FactRef> fact_refs(const Check& check);
// What `rules show` and `explain` print for a check, indented by `depth` (two spaces each).
void print_check(const Check& check, int depth, std::ostream& out);
// "equals 1", "at_least parameter 'min_length'", "one_of [1, 2]", "present".
[[nodiscard]] std::string operand_text(Op op, const Operand& operand);
// "registry HKLM\...\Parameters\SMB1", "service WebClient", "host facts": one line per fact.
[[nodiscard]] std::string describe(const FactRef& ref);

// Collects the distinct facts a set of rules reads.
void add_facts(const Check& check, FactPlan& plan);
[[nodiscard]] FactPlan plan_for(const std::vector<const Rule*>& rules);
// Lists what a rule reads, one human-readable line per fact (describe() of each fact_refs entry).
[[nodiscard]] std::vector<std::string> facts_read(const Rule& rule);

}  // namespace smbaudit
