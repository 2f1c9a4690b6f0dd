// From a report's failed findings to the changes that fix them and the values that undo
// them. Pure: reads a report and a rule pack, never the host. The scripts (ps1, reg, gpo)
// only render a plan, so every format makes the same changes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "../report/report_reader.h"
#include "smbaudit/engine.h"
#include "smbaudit/facts.h"

namespace smbaudit {

// One registry value the fix writes, and what the report saw there before.
struct RegistryChange {
  std::string key;   // canonical "HKLM\..." path
  std::string name;  // value name
  RegType type = RegType::Dword;
  Value data;
  std::optional<RegValue> before;  // nullopt: the value was absent, so the rollback deletes it
  std::string rule;                // the first rule that needs it (others list it in `shared`)
};

// One service start type the fix sets, and the one the report saw.
struct ServiceChange {
  std::string service;
  StartType start_type = StartType::Disabled;
  StartType before = StartType::Manual;
  std::string rule;
  std::optional<ServiceState> state_before;  // when the report saw it (live)
};

// One account policy setting the fix sets ([System Access] name), and what the report saw.
struct AccountPolicyChange {
  std::string setting;  // "MinimumPasswordLength"
  std::int64_t value = 0;
  std::int64_t before = 0;  // always known: a rule whose prior value is unknown is a manual step
  std::string rule;
};

// A failed rule the plan fixes automatically.
struct RuleFix {
  std::string rule;
  std::string title;
  Severity severity = Severity::Medium;
  std::string caution;  // non-empty: the change can break access; listed first
  std::string summary;
  std::string group_policy;
  std::vector<RegistryChange> registry;  // made by this rule's block
  std::vector<ServiceChange> services;
  std::vector<AccountPolicyChange> account_policy;
  std::vector<std::string> shared;  // changes it also needs, made above for another rule ("KEY\NAME")
};

// A failed rule a person has to fix: no safe automatic fix, or none that can be proven here.
struct ManualStep {
  std::string rule;
  std::string title;
  Severity severity = Severity::Medium;
  std::string why;  // why it is not automated (the rule's own reason, or what the plan could not prove)
  std::string summary;
  std::string group_policy;
};

// A failed (or unknown) finding an active waiver accepts: left unchanged unless asked.
struct WaivedStep {
  std::string rule;
  std::string title;
  Severity severity = Severity::Medium;
  std::string justification;
  std::string expires;  // YYYY-MM-DD
};

struct RemediationPlan {
  std::string host;
  std::string host_details;  // host_summary (render.h): "workstation, build 22631.4460, Enterprise, workgroup"
  std::string report_time;   // the report's generated_at
  std::string profile;
  std::string tool_version;
  std::vector<RuleFix> fixes;  // those with a caution first, then report order
  std::vector<ManualStep> manual;
  std::vector<std::pair<std::string, Status>> not_evaluated;  // unknown and error findings: not remediated
  std::vector<WaivedStep> waived;                             // left out: an accepted risk is not changed
  std::vector<std::string> included_waived;                   // fixed although waived (--include-waived)
  std::string source_kind;                                    // the audit's source: snapshot, live, offline

  [[nodiscard]] bool has_changes() const { return !fixes.empty(); }
};

// Parameters by rule id (the profile's overrides); a rule's own defaults fill the rest.
using RuleParameters = std::map<std::string, std::map<std::string, Value>>;

// What to do with findings an active waiver accepts: leave them unchanged (listed in the
// plan's `waived`), or fix them like any other (--include-waived).
enum class WaivedFindings { Leave, Include };

// Plans the fix for every failed finding of `report`. Each rule's changes are checked by
// re-evaluating the rule on the report's observations with every change applied: a rule
// they would not turn to pass, or whose prior values the report did not see (so no exact
// rollback exists), becomes a manual step instead.
[[nodiscard]] RemediationPlan plan_remediation(const ReadReport& report, const RulePack& pack,
                                               const RuleParameters& parameters,
                                               WaivedFindings waived = WaivedFindings::Leave);

// Applies registry and service changes to a fact set (models the host after the script ran).
void apply_changes(FactSet& facts, const std::vector<RegistryChange>& registry,
                   const std::vector<ServiceChange>& services, const std::vector<AccountPolicyChange>& account_policy);
// Applies the rollback: every value back to what was observed, absent ones deleted.
void apply_rollback(FactSet& facts, const std::vector<RegistryChange>& registry,
                    const std::vector<ServiceChange>& services, const std::vector<AccountPolicyChange>& account_policy);

// The Start value of a service key for a start type (boot 0 ... disabled 4; delayed is 2).
[[nodiscard]] int start_value(StartType type);

}  // namespace smbaudit
