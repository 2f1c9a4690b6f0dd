#include "pipeline.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "../core/input.h"
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

void add_source_options(CLI::App& app, SourceArgs& args) {
  for (const auto& source : fact_sources()) {
    for (const SourceFlag& flag : source.flags) {
      const std::string name(flag.name), help(flag.help);
      CLI::Option* option = nullptr;
      switch (flag.kind) {
        case FlagKind::Text: option = app.add_option(name, args.text_slot(flag.name), help); break;
        case FlagKind::TextList: option = app.add_option(name, args.list_slot(flag.name), help); break;
        case FlagKind::Integer:
          args.integer_slot(flag.name) = flag.fallback;
          option = app.add_option(name, args.integer_slot(flag.name), help)->check(CLI::Range(flag.min, flag.max));
          break;
      }
      // --help shows the table's value name ("--gpo PATH", "--image FILE"), as the usage lines do.
      if (option) option->type_name(std::string(flag.value_name));
    }
  }
}

Expected<std::unique_ptr<PreparedRules>, ExitCode> prepare_rules(const RuleOptions& options) {
  auto loaded = load_rules_or_log(options.rules_dir, options.profile, options.rules_sha256);
  if (!loaded) return Unexpected(ExitCode::BadInput);
  auto prepared = std::make_unique<PreparedRules>(PreparedRules{std::move(*loaded), {}});
  const Profile* profile = prepared->loaded.profile ? &*prepared->loaded.profile : nullptr;
  auto selection = select_rules(prepared->loaded.pack, profile, split_ids(options.only), split_ids(options.skip));
  if (!selection) {
    spdlog::error("{}", selection.error());
    return Unexpected(ExitCode::BadInput);
  }
  const std::string profile_name = profile ? profile->name : "(none)";
  for (const auto& id : selection->outside_profile)
    spdlog::warn("--only {}: profile {} does not select this rule; it is evaluated because it was named", id,
                 profile_name);
  // A run that evaluates nothing must not look like a clean audit to a gate.
  if (selection->rules.empty()) {
    spdlog::error("no rule to evaluate: profile {}{}{} selects none (see smbaudit rules list --profile {})",
                  profile_name, options.only.empty() ? "" : " with --only", options.skip.empty() ? "" : " and --skip",
                  profile_name);
    return Unexpected(ExitCode::BadInput);
  }
  prepared->selection = std::move(*selection);
  return prepared;
}

Expected<std::optional<WaiverList>, ExitCode> load_waivers_file(const std::string& path, const PreparedRules& rules) {
  if (path.empty()) return std::optional<WaiverList>();
  auto text = read_input_file(path);
  if (!text) {
    spdlog::error("{}: cannot read waivers file: {}", path, text.error());
    return Unexpected(ExitCode::BadInput);
  }
  auto list = load_waivers(RuleFile{path, std::move(*text)}, rules.loaded.pack);
  if (!list) {
    log_load_errors(list.error(), path);
    return Unexpected(ExitCode::BadInput);
  }
  const std::string profile = rules.loaded.profile ? rules.loaded.profile->name : "(none)";
  for (std::size_t i = 0; i < list->waivers.size(); ++i) {
    const std::string& id = list->waivers[i].rule;
    const auto& selected = rules.selection.rules;
    if (std::none_of(selected.begin(), selected.end(), [&](const Rule* r) { return r->id == id; }))
      spdlog::warn(
          "{} /waivers/{}: rule {} is not evaluated in this run (profile {}, --only and --skip leave it out), so "
          "this waiver has no effect",
          path, i, id, profile);
  }
  return std::optional<WaiverList>(std::move(*list));
}

ExitCode exit_code_for(CollectFailure failure) {
  return failure == CollectFailure::BadInput ? ExitCode::BadInput : ExitCode::CollectionFailed;
}

Expected<OpenedSources, OpenFailure> try_open_sources(const SourceArgs& args) {
  auto selection = select_sources(args);
  if (!selection) return Unexpected(OpenFailure{ExitCode::BadInput, selection.error()});
  if (!selection->host) {
    std::string flags;
    for (const auto& s : fact_sources())
      if (s.availability == SourceAvailability::Built && !s.is_layer())
        flags += fmt::format("\n  {:<24} {}", s.usage, s.description);
    return Unexpected(OpenFailure{
        ExitCode::BadInput,
        "no fact source given; live collection of this host is only available on Windows. Use one of:" + flags});
  }
  auto sources = open_selection(*selection, args);
  if (!sources) return Unexpected(OpenFailure{exit_code_for(sources.error().failure), sources.error().message});
  return std::move(*sources);
}

Expected<OpenedSources, ExitCode> logged(Expected<OpenedSources, OpenFailure> opened) {
  if (opened) return std::move(*opened);
  spdlog::error("{}", opened.error().message);
  return Unexpected(opened.error().code);
}

Expected<OpenedSources, ExitCode> open_sources(const SourceArgs& args) {
  return logged(try_open_sources(args));
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
