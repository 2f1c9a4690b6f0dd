// What several writers render the same way: evidence as one line, failures-first order,
// a finding's place on the host, and a run-independent fingerprint.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/engine.h"

namespace smbaudit {

// "PASS", "FAIL", "N/A", "UNKNOWN", "ERROR".
[[nodiscard]] std::string_view status_label(Status status);

// One line per fact consulted: where, what was read (or why it could not be), and
// "(decided)" for the fact that decided the verdict.
[[nodiscard]] std::string evidence_line(const Evidence& evidence);

// "group policy: GPO 'Baseline' {...} (Machine\Registry.pol, ...); windows default: on ...":
// the stores that decided the finding (decided_by, named as in the JSON report with spaces
// for underscores), or "" when none did (a rule that does not apply, a fact not read).
[[nodiscard]] std::string decided_text(const Finding& finding);

// Findings ordered fail, error, unknown, pass, not applicable; within each, higher
// severity first; waived findings after the unwaived ones of the same status.
[[nodiscard]] std::vector<const Finding*> failures_first(const Report& report);

// failures_first, split the way the readable formats show it.
struct FindingGroups {
  std::vector<const Finding*> attention;  // fail, error, unknown without an active waiver
  std::vector<const Finding*> waived;     // the same with one
  std::vector<const Finding*> fine;       // pass and not applicable
};
[[nodiscard]] FindingGroups group_findings(const Report& report);

// "workstation, build 22631.4460, Enterprise, domain corp.example": what is known of the host.
[[nodiscard]] std::string host_summary(const HostFacts& host);

// A score as every format shows it: one decimal ("87.5"), or "n/a" when nothing was scored.
[[nodiscard]] std::string score_text(const std::optional<double>& score);

// "scored 3 of 27 rules": how many of the rules that apply to the host have a verdict, shown
// beside the score in every format (not applicable rules are left out of both numbers).
[[nodiscard]] std::string coverage_text(const Score& score);
[[nodiscard]] std::string coverage_text(const Coverage& coverage);

// The name that identifies the host across runs: its --host-label when given, else its name.
[[nodiscard]] const std::string& stable_host_name(const Report& report);

// "1 pass, 1 fail, 1 unknown, 1 n/a": pass and fail always, the others when not zero.
[[nodiscard]] std::string counts_text(const LayerScore& counts);

// "waived until 2026-12-31: JUSTIFICATION" or "waiver expired on 2026-01-31: ...".
[[nodiscard]] std::string waiver_note(const AppliedWaiver& waiver);

// The first fact a rule reads, as a Windows path ("HKLM\...\Parameters\RequireSecuritySignature",
// "HKLM\SYSTEM\CurrentControlSet\Services\WebClient", "root\cimv2:Win32_QuickFixEngineering.InstalledOn").
// It depends only on the rule, so it is the same in every run.
[[nodiscard]] std::string primary_location(const Rule& rule);

// 64-bit FNV-1a as 16 lower-case hex digits: stable across runs, platforms and versions.
[[nodiscard]] std::string stable_hash(std::string_view text);

// Identifies one rule's finding on one host across runs (rule id, host name, primary location);
// callers pass stable_host_name, so a --host-label keeps it the same when the host's name changes.
[[nodiscard]] std::string finding_fingerprint(const Finding& finding, std::string_view host);

}  // namespace smbaudit
