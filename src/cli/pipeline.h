// What every command that audits shares: rule and source options, loading the pack,
// opening sources and auditing one host. Each function logs its own errors.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

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
// Adds every fact source's flags (--facts, and the others this build has).
void add_source_options(CLI::App& app, SourceOptions& options);

// A loaded pack and the rules selected from it; the selection points into the pack.
struct PreparedRules {
  LoadedRules loaded;
  Selection selection;
};

[[nodiscard]] Expected<std::unique_ptr<PreparedRules>, ExitCode> prepare_rules(const RuleOptions& options);

// Opens the fact source the options select (one per host); with none, explains the choices.
[[nodiscard]] Expected<std::vector<std::unique_ptr<FactSource>>, ExitCode> open_sources(const SourceOptions& options);

// One host's audit: its report and the exit code it calls for. A collection failure for a
// known host still has a report (every finding `error`, with the cause) and code 3.
struct HostAudit {
  std::optional<Report> report;
  ExitCode code = ExitCode::Ok;
};

// Collects the selection's facts from one source and evaluates them.
[[nodiscard]] HostAudit audit_host(FactSource& source, const PreparedRules& rules);

[[nodiscard]] ExitCode exit_code_for(CollectFailure failure);

// ISO 8601 UTC, second precision: 2026-11-22T03:15:00Z.
[[nodiscard]] std::string utc_now();

inline int code(ExitCode c) {
  return static_cast<int>(c);
}

}  // namespace smbaudit
