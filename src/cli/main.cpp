// smbaudit's command line: parses arguments, wires a fact source, the engine and
// the writers together, and maps outcomes to the documented exit codes.
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "../report/json_writer.h"
#include "../sources/sources.h"
#include "exit_codes.h"
#include "rules_commands.h"
#include "smbaudit/engine.h"
#include "smbaudit/report.h"
#include "smbaudit/snapshot.h"
#include "smbaudit/version.h"

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#define SMBAUDIT_ISATTY(fd) _isatty(fd)
#else
#include <unistd.h>
#define SMBAUDIT_ISATTY(fd) isatty(fd)
#endif

namespace smbaudit {
namespace {

struct AuditOptions {
  std::string facts;
  std::string rules_dir;
  std::string profile;
  std::vector<std::string> only, skip;
  std::string fail_on;
  std::optional<double> fail_under;
};

struct Destination {
  const WriterEntry* writer;
  std::optional<std::string> path;  // nullopt: standard output
};

int code(ExitCode c) {
  return static_cast<int>(c);
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
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

ColorMode stdout_color() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return ColorMode::Plain;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return ColorMode::Plain;
  if (!SMBAUDIT_ISATTY(1)) return ColorMode::Plain;
#ifdef _WIN32
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  DWORD mode = 0;
  if (!GetConsoleMode(out, &mode) || !SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING))
    return ColorMode::Plain;
#endif
  return ColorMode::Ansi;
}

// Pairs each --output with the --format just before it (or its extension); a --format
// not followed by an --output goes to standard output.
Expected<std::vector<Destination>, std::string> destinations(const CLI::App& audit) {
  std::vector<Destination> out;
  std::optional<std::string> pending;
  std::size_t format_index = 0, output_index = 0;
  const auto formats = audit.get_option("--format")->as<std::vector<std::string>>();
  const auto outputs = audit.get_option("--output")->as<std::vector<std::string>>();
  const auto to_stdout = [&](const std::string& name) -> std::optional<std::string> {
    const WriterEntry* w = find_writer(name);
    if (!w) return fmt::format("unknown report format '{}' (see smbaudit audit --help)", name);
    out.push_back({w, std::nullopt});
    return std::nullopt;
  };
  for (const CLI::Option* opt : audit.parse_order()) {
    if (opt->get_name() == "--format") {
      if (pending)
        if (auto err = to_stdout(*pending)) return Unexpected(*err);
      pending = formats.at(format_index++);
    } else if (opt->get_name() == "--output") {
      const std::string& path = outputs.at(output_index++);
      const WriterEntry* w = pending ? find_writer(*pending) : writer_for_extension(path);
      if (!w)
        return Unexpected(pending ? fmt::format("unknown report format '{}'", *pending)
                                  : fmt::format("cannot tell the format of '{}' from its extension: put --format "
                                                "before --output",
                                                path));
      out.push_back({w, path});
      pending.reset();
    }
  }
  if (pending)
    if (auto err = to_stdout(*pending)) return Unexpected(*err);
  if (out.empty()) out.push_back({find_writer("text"), std::nullopt});
  int on_stdout = 0;
  for (const auto& d : out) on_stdout += d.path ? 0 : 1;
  if (on_stdout > 1) return Unexpected(std::string("only one report can go to standard output; give --output FILE"));
  return out;
}

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

int run_audit(const CLI::App& app, const AuditOptions& opt) {
  auto outputs = destinations(app);
  if (!outputs) {
    spdlog::error("{}", outputs.error());
    return code(ExitCode::BadInput);
  }
  auto loaded = load_rules(opt.rules_dir, opt.profile);
  if (!loaded) return code(ExitCode::BadInput);
  if (opt.facts.empty()) {
    std::string flags;
    for (const auto& s : fact_sources())
      if (s.available) flags += fmt::format("\n  {:<14} {}", s.flags, s.description);
    spdlog::error("no fact source given; live collection of this host is only available on Windows. Use one of:{}",
                  flags);
    return code(ExitCode::BadInput);
  }
  auto source = open_snapshot(opt.facts);
  if (!source) {
    spdlog::error("{}", source.error().message);
    return code(source.error().failure == CollectFailure::BadInput ? ExitCode::BadInput : ExitCode::CollectionFailed);
  }
  auto selection = select_rules(loaded->pack, loaded->profile ? &*loaded->profile : nullptr, split_ids(opt.only),
                                split_ids(opt.skip));
  if (!selection) {
    spdlog::error("{}", selection.error());
    return code(ExitCode::BadInput);
  }
  const auto started = std::chrono::steady_clock::now();
  auto host = (*source)->host();
  if (!host) {
    spdlog::error("{}", host.error().message);
    return code(host.error().failure == CollectFailure::BadInput ? ExitCode::BadInput : ExitCode::CollectionFailed);
  }
  const FactPlan plan = plan_for(selection->rules);
  spdlog::info("{} rules selected; the plan reads {} registry keys, {} services, {} WMI classes",
               selection->rules.size(), plan.registry_keys.size(), plan.services.size(), plan.wmi_classes.size());
  auto facts = (*source)->collect(plan);
  if (!facts) {
    spdlog::error("{}", facts.error().message);
    return code(facts.error().failure == CollectFailure::BadInput ? ExitCode::BadInput : ExitCode::CollectionFailed);
  }
  Report report = build_report(*selection, *host, *facts);
  report.tool_version = std::string(kVersion);
  report.rules_origin = loaded->pack.origin;
  report.profile = loaded->profile ? loaded->profile->name : "(none: every rule)";
  report.generated_at = utc_now();
  report.source = (*source)->info();
  report.scope_notes = loaded->scope_notes;
  spdlog::info(
      "evaluated in {} us",
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());

  bool write_failed = false;
  for (const auto& d : *outputs) {
    if (!d.path) {
      d.writer->make(stdout_color())->write(report, std::cout);
      std::cout.flush();
      continue;
    }
    std::ostringstream buffer;
    d.writer->make(ColorMode::Plain)->write(report, buffer);
    if (auto written = write_file_atomically(*d.path, buffer.str()); !written) {
      spdlog::error("{}", written.error());
      write_failed = true;
    } else {
      spdlog::info("wrote {} report to {}", d.writer->name, *d.path);
    }
  }
  if (write_failed) return code(ExitCode::BadInput);

  bool tripped = false;
  if (!opt.fail_on.empty()) {
    const Severity threshold = *severity_from_string(opt.fail_on);
    int count = 0;
    for (const auto& f : report.findings)
      if (f.status == Status::Fail && f.severity >= threshold) ++count;
    if (count > 0) {
      spdlog::warn("gate --fail-on {}: {} failed rule(s) at or above that severity", opt.fail_on, count);
      tripped = true;
    }
  }
  if (opt.fail_under) {
    if (!report.score.overall) {
      spdlog::warn("gate --fail-under {}: no rule could be scored, so the score is unknown", *opt.fail_under);
      tripped = true;
    } else if (*report.score.overall < *opt.fail_under) {
      spdlog::warn("gate --fail-under {}: the score is {:.1f}", *opt.fail_under, *report.score.overall);
      tripped = true;
    }
  }
  return code(tripped ? ExitCode::GateTripped : ExitCode::Ok);
}

void setup_logging(int verbosity, bool quiet) {
  auto logger = spdlog::stderr_color_mt("smbaudit");
  logger->set_pattern("smbaudit: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  if (quiet)
    spdlog::set_level(spdlog::level::err);
  else if (verbosity >= 2)
    spdlog::set_level(spdlog::level::debug);
  else if (verbosity == 1)
    spdlog::set_level(spdlog::level::info);
  else
    spdlog::set_level(spdlog::level::warn);
}

std::string writers_help() {
  std::string out = "Report formats (--format, or from the --output extension):\n";
  for (const auto& w : report_writers()) out += fmt::format("  {:<8} {:<12} {}\n", w.name, w.extensions, w.description);
  out += "Fact sources:\n";
  for (const auto& s : fact_sources())
    out += fmt::format("  {:<14} {}{}\n", s.flags, s.description, s.available ? "" : " (not in this build)");
  return out;
}

int run(int argc, char** argv) {
  CLI::App app{"smbaudit: audits a Windows host's defences against SMB interception (adversary-in-the-middle)"};
  app.set_version_flag("--version", std::string("smbaudit ") + std::string(kVersion));
  app.require_subcommand(1);
  int verbosity = 0;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbosity, "more log output on stderr (-vv for debug)");
  app.add_flag("-q,--quiet", quiet, "log errors only");
  app.footer("Exit codes: 0 ok, 1 a gate tripped, 2 bad usage or input, 3 collection failed.");
  // -v and -q work after the subcommand too (smbaudit audit ... -v).
  app.fallthrough();

  AuditOptions audit_opt;
  auto* audit = app.add_subcommand("audit", "evaluate the rules against a host's facts and write reports");
  audit->add_option("--facts", audit_opt.facts, "read facts from a snapshot file (smbaudit-facts/1 JSON)");
  audit->add_option("--rules", audit_opt.rules_dir, "rule pack folder (default: the pack built into smbaudit)");
  audit->add_option("--profile", audit_opt.profile, "profile name or profile .json file (default: guide)");
  std::vector<std::string> formats, outputs;
  std::vector<std::string> writer_names;
  for (const auto& w : report_writers()) writer_names.emplace_back(w.name);
  audit->add_option("--format", formats, "report format for the next --output, or for stdout")
      ->check(CLI::IsMember(writer_names));
  audit->add_option("--output", outputs, "report file, written atomically; repeatable");
  audit->add_option("--only", audit_opt.only, "evaluate only these rule ids (comma-separated, repeatable)");
  audit->add_option("--skip", audit_opt.skip, "skip these rule ids (comma-separated, repeatable)");
  audit->add_option("--fail-on", audit_opt.fail_on, "exit 1 if a rule of this severity or higher fails")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "info"}));
  audit->add_option("--fail-under", audit_opt.fail_under, "exit 1 if the overall score is below this")
      ->check(CLI::Range(0.0, 100.0));
  audit->footer(writers_help());

  RulesOptions rules_opt;
  auto* rules = app.add_subcommand("rules", "list, show and validate rules");
  rules->require_subcommand(1);
  rules->add_option("--rules", rules_opt.rules_dir, "rule pack folder (default: the built-in pack)");
  auto* list = rules->add_subcommand("list", "list the rules and the facts each reads");
  list->add_option("--format", rules_opt.format, "text, json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  list->add_option("--profile", rules_opt.profile, "only the rules this profile selects");
  auto* show = rules->add_subcommand("show", "show one rule in full");
  show->add_option("id", rules_opt.id, "rule id")->required();
  auto* validate = rules->add_subcommand("validate", "check a rule pack and its profiles; exit 2 on any problem");
  validate->add_option("dir", rules_opt.validate_dir, "rule pack folder (default: the built-in pack)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : code(ExitCode::BadInput);
  }
  setup_logging(verbosity, quiet);
  if (audit->parsed()) return run_audit(*audit, audit_opt);
  if (list->parsed()) return rules_list(rules_opt);
  if (show->parsed()) return rules_show(rules_opt);
  if (validate->parsed()) return rules_validate(rules_opt);
  return code(ExitCode::BadInput);
}

}  // namespace
}  // namespace smbaudit

int main(int argc, char** argv) {
  try {
    return smbaudit::run(argc, argv);
  } catch (const std::exception& e) {
    // A bug, not an expected failure: say so plainly rather than crash.
    std::fprintf(stderr, "smbaudit: internal error: %s\n", e.what());
    return 70;
  }
}
