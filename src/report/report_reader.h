// Reads smbaudit-report/1 JSON back (diff, summary, remediate). Tolerant of fields a
// later version adds; strict about the ones it uses, so a malformed report is named
// and refused rather than half-read.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/engine.h"
#include "smbaudit/expected.h"

namespace smbaudit {

// One evidence entry as the report wrote it, in the Report model's own enums (named through
// their tables in the engine and facts); what a later version adds that this one does not
// name is nullopt, never a guess.
struct ReadEvidence {
  std::optional<EvidenceKind> kind;  // nullopt: a kind a later version writes
  std::string path;                  // registry key, WMI namespace:class, or the default's condition
  std::string name;                  // registry value, WMI property, service or host property
  std::optional<bool> present;
  std::optional<RegType> type;  // a type this version does not name reads as RegType::Other
  std::optional<Value> data;    // nullopt: not recorded (absent, unreadable, or not a scalar)
  std::optional<StartType> start_type;
  std::optional<ServiceState> state;            // a service's running state, when the source knew it
  Readability readability = Readability::Read;  // Unknown / Error when the fact could not be read
  std::string message;
  bool decided = false;
};

struct ReadFinding {
  std::string rule;
  std::string title;
  Status status = Status::Unknown;
  Severity severity = Severity::Medium;
  std::string layer;
  std::string explanation;
  std::string remediation_summary;
  std::string remediation_powershell;
  std::string remediation_group_policy;
  std::vector<ReadEvidence> evidence;
  std::optional<WaiverState> waiver;  // absent in reports written before waivers existed
  std::string waiver_justification, waiver_expires;

  [[nodiscard]] bool waived() const { return waiver == WaiverState::Active; }
};

struct ReadReport {
  std::string schema;
  std::string tool_version;
  std::string generated_at;
  std::string profile;
  std::string rules_sha256;  // "" in reports written before the digest was recorded
  std::optional<std::string> rules_version;
  std::string host_name;
  std::string host_label;                   // --host-label, when the audit was given one
  std::optional<std::string> collected_at;  // host.collected_at: when the facts were read (null offline)
  std::optional<int> os_build;
  std::optional<int> ubr;
  std::optional<std::string> edition;
  std::optional<Role> role;              // host.role, by the names Report uses (facts.h)
  std::optional<Membership> membership;  // host.domain_joined
  std::optional<std::string> domain;     // host.domain
  std::string rules_origin;
  std::string source_kind;
  std::string source_description;
  std::optional<double> overall;
  std::map<std::string, std::optional<double>> layer_scores;
  std::vector<ReadFinding> findings;
};

// Full reads everything; Verdicts leaves out each finding's evidence, explanation,
// rationale, remediation and references (nine tenths of a report), for readers of many
// reports that count verdicts. Those members are skipped unparsed, so only their
// quotes and brackets are checked; everything else is read and checked as in Full.
enum class ReadDetail { Full, Verdicts };

// Parses one report; the error is one line that starts with `name`.
[[nodiscard]] Expected<ReadReport, std::string> parse_report(std::string_view text, std::string_view name,
                                                             ReadDetail detail = ReadDetail::Full);
// Reads and parses a report file (size-capped); errors name the file.
[[nodiscard]] Expected<ReadReport, std::string> read_report(const std::filesystem::path& path,
                                                            ReadDetail detail = ReadDetail::Full);

}  // namespace smbaudit
