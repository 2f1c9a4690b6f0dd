#include "pipeline.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "smbaudit/text.h"
#include "smbaudit/version.h"

namespace smbaudit {
namespace {

std::vector<std::string> split_ids(const std::vector<std::string>& values) {
  std::vector<std::string> ids;
  for (const auto& v : values) {
    std::size_t start = 0;
    while (start <= v.size()) {
      auto end = v.find(',', start);
      if (end == std::string::npos) end = v.size();
      auto id = std::string(trim(std::string_view(v).substr(start, end - start)));
      if (!id.empty()) ids.push_back(id);
      start = end + 1;
    }
  }
  return ids;
}

}  // namespace

void add_rule_options(CLI::App& app, RuleOptions& options, SelectionFlags flags) {
  app.add_option("--rules", options.rules_dir, "rule pack folder (default: the pack built into smbaudit)");
  app.add_option("--profile", options.profile, "profile name or profile .json file (default: guide)");
  app.add_option("--rules-sha256", options.rules_sha256,
                 "refuse to run unless the rule pack's digest is this (see smbaudit rules digest)")
      ->check(
          [](const std::string& hex) {
            const bool ok = hex.size() == 64 && hex.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
            return ok ? std::string() : std::string("expected 64 hex digits (a SHA-256 digest)");
          },
          "HEX");
  if (flags == SelectionFlags::ProfileOnlySkip) {
    app.add_option("--only", options.only, "evaluate only these rule ids (comma-separated, repeatable)");
    app.add_option("--skip", options.skip, "skip these rule ids (comma-separated, repeatable)");
  }
}

void add_source_options(CLI::App& app, SourceOptions& options) {
  app.add_option("--facts", options.facts, "read facts from a snapshot file (smbaudit-facts/1 JSON)");
  app.add_option("--system", options.system_hive, "offline image: its SYSTEM hive file");
  app.add_option("--software", options.software_hive, "offline image: its SOFTWARE hive file");
  app.add_option("--image-root", options.image_root,
                 "offline image: a mounted Windows volume (finds Windows/System32/config/SYSTEM and SOFTWARE)");
  app.add_option("--computer", options.computers, "audit this remote Windows host (repeatable; Windows only)");
  app.add_option("--computer-list", options.computer_list,
                 "audit the remote hosts named in FILE, one per line, '#' comments (Windows only)");
  app.add_option("--timeout", options.timeout_seconds, "give up on a host after SECONDS (live collection; default 30)")
      ->check(CLI::Range(1, 3600));
}

Expected<std::unique_ptr<PreparedRules>, ExitCode> prepare_rules(const RuleOptions& options) {
  auto loaded = load_rules(options.rules_dir, options.profile, options.rules_sha256);
  if (!loaded) return Unexpected(ExitCode::BadInput);
  auto prepared = std::make_unique<PreparedRules>(PreparedRules{std::move(*loaded), {}});
  const Profile* profile = prepared->loaded.profile ? &*prepared->loaded.profile : nullptr;
  auto selection = select_rules(prepared->loaded.pack, profile, split_ids(options.only), split_ids(options.skip));
  if (!selection) {
    spdlog::error("{}", selection.error());
    return Unexpected(ExitCode::BadInput);
  }
  prepared->selection = std::move(*selection);
  return prepared;
}

ExitCode exit_code_for(CollectFailure failure) {
  return failure == CollectFailure::BadInput ? ExitCode::BadInput : ExitCode::CollectionFailed;
}

Expected<OpenedSources, OpenFailure> try_open_sources(const SourceOptions& options) {
  auto entry = select_source(options);
  if (!entry) return Unexpected(OpenFailure{ExitCode::BadInput, entry.error()});
  if (!*entry) {
    std::string flags;
    for (const auto& s : fact_sources())
      if (s.availability == SourceAvailability::Built) flags += fmt::format("\n  {:<24} {}", s.flags, s.description);
    return Unexpected(OpenFailure{
        ExitCode::BadInput,
        "no fact source given; live collection of this host is only available on Windows. Use one of:" + flags});
  }
  auto sources = (*entry)->open(options);
  if (!sources) return Unexpected(OpenFailure{exit_code_for(sources.error().failure), sources.error().message});
  return std::move(*sources);
}

Expected<OpenedSources, ExitCode> logged(Expected<OpenedSources, OpenFailure> opened) {
  if (opened) return std::move(*opened);
  spdlog::error("{}", opened.error().message);
  return Unexpected(opened.error().code);
}

Expected<OpenedSources, ExitCode> open_sources(const SourceOptions& options) {
  return logged(try_open_sources(options));
}

namespace {

void stamp(Report& report, const SourceInfo& source, const PreparedRules& rules) {
  report.tool_version = std::string(kVersion);
  report.rules_origin = rules.loaded.pack.origin;
  report.rules_sha256 = rules.loaded.sha256;
  report.rules_version = rules.loaded.version;
  report.profile = rules.loaded.profile ? rules.loaded.profile->name : "(none: every rule)";
  report.generated_at = utc_now();
  report.source = source;
  report.scope_notes = rules.loaded.scope_notes;
}

// A host the source named but could not collect from still gets a report, so a nightly
// run shows it as failed rather than silently missing.
HostAudit failed_host(const CollectError& error, const SourceInfo& source, const PreparedRules& rules) {
  spdlog::error("{}", error.message);
  if (error.failure != CollectFailure::CollectionFailed || error.host.empty())
    return {std::nullopt, exit_code_for(error.failure)};
  HostFacts host;
  host.name = error.host;
  Report report = build_failed_report(rules.selection, host, error.message);
  stamp(report, source, rules);
  return {std::move(report), ExitCode::CollectionFailed};
}

}  // namespace

void log_plan(const PreparedRules& rules, const FactPlan& plan) {
  spdlog::info("{} rules selected; the plan reads {} registry keys, {} services, {} WMI classes",
               rules.selection.rules.size(), plan.registry_keys.size(), plan.services.size(), plan.wmi_classes.size());
}

HostAudit audit_host(FactSource& source, const PreparedRules& rules) {
  const FactPlan plan = plan_for(rules.selection.rules);
  log_plan(rules, plan);
  return audit_collected(fleet::collect_from(source, plan), rules);
}

HostAudit audit_collected(const fleet::Collected& collected, const PreparedRules& rules) {
  const auto started = std::chrono::steady_clock::now();
  if (!collected.result) return failed_host(collected.result.error(), collected.source, rules);
  if (!collected.collection_summary.empty()) spdlog::info("{}", collected.collection_summary);
  Report report = build_report(rules.selection, collected.result->host, collected.result->facts);
  stamp(report, collected.source, rules);
  const auto took = collected.took + (std::chrono::steady_clock::now() - started);
  spdlog::info("{}: collected and evaluated in {} us", report.host.name,
               std::chrono::duration_cast<std::chrono::microseconds>(took).count());
  return {std::move(report), ExitCode::Ok};
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
#ifdef _WIN32
  gmtime_s(&tm, &t);
#else
  gmtime_r(&t, &tm);
#endif
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace smbaudit
