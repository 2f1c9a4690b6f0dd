// Evaluation: rules plus facts in, findings with evidence and scores out.
// Never calls an operating-system API.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smbaudit/fact_source.h"
#include "smbaudit/facts.h"
#include "smbaudit/rule.h"
#include "smbaudit/rule_loader.h"

namespace smbaudit {

enum class Status { Pass, Fail, NotApplicable, Unknown, Error };

[[nodiscard]] std::string_view to_string(Status status);
[[nodiscard]] std::optional<Status> status_from_string(std::string_view name);

enum class EvidenceKind { Registry, Service, Wmi, Host, Default };
[[nodiscard]] std::string_view to_string(EvidenceKind kind);

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

// Severity weights for scoring; info counts zero so it never moves the score.
[[nodiscard]] int severity_weight(Severity severity);

// The rules a profile selects, with --only / --skip applied; unknown ids in only/skip are errors.
// A rule named in --only is evaluated even when the profile does not select it (a user who
// names a rule wants it evaluated); `outside_profile` lists those so the caller can say so.
// Each selected rule is a copy whose title and fix texts show the parameters in effect
// (with_parameters), so every writer shows what this run required.
struct Selection {
  std::vector<const Rule*> rules;  // into `resolved`, in pack order
  std::map<std::string, std::map<std::string, Value>> parameters;
  std::map<std::string, Severity> severities;
  std::vector<std::shared_ptr<const Rule>> resolved;
  std::vector<std::string> outside_profile;  // --only ids the profile does not select
};
[[nodiscard]] Expected<Selection, std::string> select_rules(const RulePack& pack, const Profile* profile,
                                                            const std::vector<std::string>& only,
                                                            const std::vector<std::string>& skip);

// Evaluates one rule against collected facts.
[[nodiscard]] Finding evaluate(const Rule& rule, const HostFacts& host, const FactSet& facts,
                               const std::map<std::string, Value>& parameters);

// One step of an evaluation, for `smbaudit explain`: a check and its verdict, or what a
// source read found (status nullopt). depth nests steps under the check they belong to.
struct TraceStep {
  int depth = 0;
  std::string text;
  std::optional<Status> status;
};

// Evaluates like `evaluate`, and when `trace` is given appends every step to it.
[[nodiscard]] Finding evaluate_traced(const Rule& rule, const HostFacts& host, const FactSet& facts,
                                      const std::map<std::string, Value>& parameters, std::vector<TraceStep>* trace);

// Scores findings per layer and overall, weighted by severity, over pass and fail only.
[[nodiscard]] Score score(const std::vector<Finding>& findings);

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

// Evaluates every selected rule and scores the result.
[[nodiscard]] Report build_report(const Selection& selection, const HostFacts& host, const FactSet& facts);

// Marks each fail, unknown or error finding that a waiver in `waivers` covers (same rule,
// host name matching one of its globs). A waiver past its expiry date (`today` is
// YYYY-MM-DD, UTC) is recorded as Expired so the report can say it no longer applies; an
// active waiver wins over an expired one. Statuses and scores are left as they are.
void apply_waivers(Report& report, const WaiverList& waivers, std::string_view today);

// The report for a host nothing could be collected from (unreachable, timed out): every
// selected rule is `error`, with the failure as its evidence.
[[nodiscard]] Report build_failed_report(const Selection& selection, const HostFacts& host, const std::string& failure);

}  // namespace smbaudit
