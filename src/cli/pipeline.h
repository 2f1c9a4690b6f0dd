// What every command that audits shares: rule and source options, loading the pack,
// opening sources and auditing one host. Each function logs its own errors.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../fleet/source_job.h"
#include "../sources/sources.h"
#include "exit_codes.h"
#include "rules_commands.h"
#include "smbaudit/engine.h"

namespace smbaudit {

struct RuleOptions {
  std::string rules_dir;
  std::string profile;
  std::string rules_sha256;  // empty: any pack
  std::vector<std::string> only, skip;
};

enum class SelectionFlags { ProfileOnly, ProfileOnlySkip };

// Adds --rules and --profile (and --only/--skip with ProfileOnlySkip).
void add_rule_options(CLI::App& app, RuleOptions& options, SelectionFlags flags);
// Adds every fact source's flags, as each source's table entry defines them (sources.h).
void add_source_options(CLI::App& app, SourceArgs& args);

// A loaded pack and the rules selected from it; the selection points into the pack.
struct PreparedRules {
  LoadedRules loaded;
  Selection selection;
};

[[nodiscard]] Expected<std::unique_ptr<PreparedRules>, ExitCode> prepare_rules(const RuleOptions& options);

// Reads and validates a --waivers file (empty path: none) against the pack, like any other
// input (size cap, UTF-16 with a BOM); logs its one error line itself. A waiver for a rule
// the selection leaves out is a warning: it cannot apply in this run.
[[nodiscard]] Expected<std::optional<WaiverList>, ExitCode> load_waivers_file(const std::string& path,
                                                                              const PreparedRules& rules);

using OpenedSources = std::vector<std::unique_ptr<FactSource>>;

// Why the sources could not be opened: the exit code and the error line, not yet logged.
struct OpenFailure {
  ExitCode code = ExitCode::BadInput;
  std::string message;
};

// Opens the fact source the options select (one per host); with none, the failure lists the
// choices. Logs nothing, so it may run on another thread while the rules load.
[[nodiscard]] Expected<OpenedSources, OpenFailure> try_open_sources(const SourceArgs& args);

// try_open_sources, with the failure logged.
[[nodiscard]] Expected<OpenedSources, ExitCode> open_sources(const SourceArgs& args);

// Logs an open failure and gives its exit code.
[[nodiscard]] Expected<OpenedSources, ExitCode> logged(Expected<OpenedSources, OpenFailure> opened);

// One host's audit: its report and the exit code it calls for. A collection failure for a
// known host still has a report (every finding `error`, with the cause) and code 3.
struct HostAudit {
  std::optional<Report> report;
  ExitCode code = ExitCode::Ok;
};

// Collects the selection's facts from one source and evaluates them.
[[nodiscard]] HostAudit audit_host(FactSource& source, const PreparedRules& rules);

// Evaluates what was collected from one host (audit_host's second half): its report, or for
// a host that could not be collected the failure report and code. Logs; thread-safe.
[[nodiscard]] HostAudit audit_collected(const fleet::Collected& collected, const PreparedRules& rules);

// Logs (-v) how many rules were selected and what their plan reads.
void log_plan(const PreparedRules& rules, const FactPlan& plan);

[[nodiscard]] ExitCode exit_code_for(CollectFailure failure);

// ISO 8601 UTC, second precision: 2026-11-22T03:15:00Z.
[[nodiscard]] std::string utc_now();

inline int code(ExitCode c) {
  return static_cast<int>(c);
}

}  // namespace smbaudit
