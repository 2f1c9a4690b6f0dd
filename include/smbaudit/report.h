// What an audit found: findings with their evidence, scores, and the report that holds them.
// The engine builds a Report (engine.h); the writers render it (report_writer.h); nothing here
// evaluates.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/fact_source.h"
#include "smbaudit/facts.h"
#include "smbaudit/rule.h"

namespace smbaudit {

enum class Status { Pass, Fail, NotApplicable, Unknown, Error };

[[nodiscard]] std::string_view to_string(Status status);
[[nodiscard]] std::optional<Status> status_from_string(std::string_view name);

enum class EvidenceKind { Registry, Service, Wmi, Host, Default };
[[nodiscard]] std::string_view to_string(EvidenceKind kind);
[[nodiscard]] std::optional<EvidenceKind> evidence_kind_from_string(std::string_view name);

// How a piece of evidence bore on the verdict.
enum class EvidenceRole { Decided, Consulted };

enum class Readability { Read, Unknown, Error };

struct Evidence {
  EvidenceKind kind = EvidenceKind::Registry;
  std::string path;  // registry key, service name, WMI namespace:class, host property
  std::string name;  // registry value or WMI property
  Readability readability = Readability::Read;
  std::optional<Presence> presence;
  std::optional<RegType> type;
  Value data;
  std::optional<StartType> start_type;
  std::optional<ServiceState> state;
  EvidenceRole role = EvidenceRole::Consulted;
  std::string origin;  // where inside the source, when it differs from path
  std::string note;    // the default's reason, or the read error
  // The layer over the source that decided this fact (set, deleted...), when one did.
  std::optional<LayerNote> layer;

  friend bool operator==(const Evidence&, const Evidence&) = default;
};

// A waiver is an accepted risk, not a fix: it never changes a finding's status or score.
enum class WaiverState { Active, Expired };
[[nodiscard]] std::string_view to_string(WaiverState state);

// The waiver that matched a finding (apply_waivers).
struct AppliedWaiver {
  WaiverState state = WaiverState::Active;
  std::string justification;
  std::string expires;    // YYYY-MM-DD: the last day (UTC) the waiver applies
  std::string file;       // the waivers file it came from
  std::size_t index = 0;  // its position in that file's "waivers" array
};

struct Finding {
  const Rule* rule = nullptr;
  Severity severity = Severity::Medium;  // after the profile's override
  Status status = Status::Unknown;
  std::string explanation;
  std::vector<Evidence> evidence;
  std::optional<AppliedWaiver> waiver;  // only on fail, unknown and error findings

  // True when an unexpired waiver accepts this finding (gates then let it through).
  [[nodiscard]] bool waived() const { return waiver && waiver->state == WaiverState::Active; }
};

// The store that decided a finding ("every verdict says who decided"), from the evidence the
// verdict rests on: a Group Policy object or MDM (a layer over the host), a policy registry
// value (written by Group Policy or local policy; no GPO was given to name), a local
// setting, the WMI effective value, Windows' default for the host's build, edition and role,
// the service configuration, the host's own facts, or the account policy.
enum class DecidingStore {
  GroupPolicy,
  Mdm,
  PolicyValue,
  LocalSetting,
  WmiEffectiveValue,
  WindowsDefault,
  ServiceConfiguration,
  HostFacts,
  AccountPolicy
};
[[nodiscard]] std::string_view to_string(DecidingStore store);

struct Decision {
  DecidingStore store = DecidingStore::LocalSetting;
  std::string detail;  // which GPO, value, WMI property, default condition...
  friend bool operator==(const Decision&, const Decision&) = default;
};

// Each store that decided `finding` (its evidence marked decided and read), once, in order.
[[nodiscard]] std::vector<Decision> decided_by(const Finding& finding);

struct LayerScore {
  std::optional<double> score;  // none when nothing in the layer was evaluated
  int passed = 0, failed = 0, not_applicable = 0, unknown = 0, error = 0;
};

struct Score {
  std::optional<double> overall;
  std::map<Layer, LayerScore> layers;
  LayerScore totals;
};

// How much of the audit a score stands on: the rules with a verdict (pass or fail) out of
// those that apply to the host (pass, fail, unknown, error; not applicable ones are left out).
// Reports show it beside the score ("scored 3 of 27 rules"); --min-coverage gates on it.
struct Coverage {
  int scored = 0;
  int applicable = 0;
  [[nodiscard]] std::optional<double> percent() const;  // one decimal; none when no rule applies
};
[[nodiscard]] Coverage coverage(const LayerScore& counts);

struct Report {
  std::string tool_version;
  std::string rules_origin;
  std::string rules_sha256;                  // pack_digest() of the pack audited with
  std::optional<std::string> rules_version;  // the built-in pack's version (the tool's); a folder has none
  std::string profile;
  std::string generated_at;
  HostFacts host;
  SourceInfo source;
  std::vector<Finding> findings;  // in rule order
  Score score;
  std::vector<std::string> scope_notes;
  // --host-label: a stable name for a host whose own changes every run (CI runners, Packer
  // VMs), used instead of host.name in fingerprints, SARIF categories and {host}; empty: none.
  std::string host_label;
  // The selection's rules the findings point to, kept alive as long as the report is.
  std::vector<std::shared_ptr<const Rule>> rules;
};

}  // namespace smbaudit
