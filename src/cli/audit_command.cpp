#include "audit_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>

#include "fleet_runner.h"
#include "pipeline.h"
#include "smbaudit/limits.h"
#include "smbaudit/report_writer.h"
#include "smbaudit/text.h"

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#define SMBAUDIT_ISATTY(fd) _isatty(fd)
#else
#include <sys/ioctl.h>
#include <unistd.h>
#define SMBAUDIT_ISATTY(fd) isatty(fd)
#endif

namespace smbaudit {
namespace {

struct Destination {
  const WriterEntry* writer;
  std::optional<std::string> path;  // nullopt: standard output
};

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

// The columns a text report on standard output may use: COLUMNS when set (as shells and
// `less` use it), else the terminal's width; 0 (no wrapping) when it is not a terminal, so
// a report piped to a file or to grep keeps one line per finding.
std::size_t stdout_width() {
  if (const char* columns = std::getenv("COLUMNS"); columns && *columns) {
    const long n = std::strtol(columns, nullptr, 10);
    if (n >= 40 && n <= 1000) return static_cast<std::size_t>(n);
  }
  if (!SMBAUDIT_ISATTY(1)) return 0;
#ifdef _WIN32
  CONSOLE_SCREEN_BUFFER_INFO info;
  if (GetConsoleScreenBufferInfo(GetStdHandle(STD_OUTPUT_HANDLE), &info))
    return static_cast<std::size_t>(info.srWindow.Right - info.srWindow.Left + 1);
#else
  winsize ws{};
  if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40) return ws.ws_col;
#endif
  return 0;
}

// Two --output paths that name one file (after normalising; case-insensitively on Windows).
bool same_output(const std::string& a, const std::string& b) {
  const std::string x = std::filesystem::path(a).lexically_normal().string();
  const std::string y = std::filesystem::path(b).lexically_normal().string();
#ifdef _WIN32
  return iequals(x, y);
#else
  return x == y;
#endif
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
      // --format json --output r.html writes JSON into a file a browser will open as HTML.
      if (const WriterEntry* by_extension = writer_for_extension(path); by_extension && by_extension != w)
        spdlog::warn("--output {}: written as {} (the --format before it), though its extension says {}", path, w->name,
                     by_extension->name);
      for (const auto& earlier : out)
        if (earlier.path && same_output(*earlier.path, path))
          return Unexpected(fmt::format("--output {} is given twice: the second report would replace the first", path));
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

// With several hosts every report needs a place of its own: a file path without {host}
// would keep only the last host's report, and JSON documents cannot share standard output.
std::optional<std::string> several_hosts_problem(std::size_t hosts, const std::vector<Destination>& outputs) {
  if (hosts < 2) return std::nullopt;
  for (const auto& d : outputs) {
    if (d.path && d.path->find("{host}") == std::string::npos)
      return fmt::format("{} hosts would share the report file '{}': put {{host}} in the path", hosts, *d.path);
    if (!d.path && d.writer->name != "text")
      return fmt::format("{} hosts cannot share standard output as {}: give --output with {{host}} in the path", hosts,
                         d.writer->name);
  }
  return std::nullopt;
}

// How unknown and error findings count for the gates (--unknown).
enum class UnknownPolicy { Pass, Warn, Fail };

struct Gates {
  std::string fail_on;
  std::optional<double> fail_under;
  UnknownPolicy unknown = UnknownPolicy::Warn;
  double min_coverage = 50;         // percent of the applicable rules that must be scored
  bool min_coverage_given = false;  // --min-coverage alone is a gate too; the default only with --fail-under
};

std::string rule_ids(const std::vector<const Finding*>& findings) {
  std::vector<std::string> ids;
  for (const Finding* f : findings) ids.push_back(f->rule->id);
  return join(ids, ", ");
}

// Returns true when a gate trips, logging why. Waived findings never trip a gate; the
// score (--fail-under) is the report's, which waivers do not change.
bool gate_tripped(const Report& report, const Gates& gates) {
  bool tripped = false;
  // Without --fail-on, `--unknown fail` trips on an unknown rule of any severity.
  const Severity threshold = gates.fail_on.empty() ? Severity::Info : *severity_from_string(gates.fail_on);
  std::vector<const Finding*> failed, unclear, unclear_at_threshold;
  for (const auto& f : report.findings) {
    if (f.waived()) continue;
    if (f.status == Status::Fail && f.severity >= threshold) failed.push_back(&f);
    if (f.status == Status::Unknown || f.status == Status::Error) {
      unclear.push_back(&f);
      if (f.severity >= threshold) unclear_at_threshold.push_back(&f);
    }
  }
  if (!gates.fail_on.empty() && !failed.empty()) {
    spdlog::warn("{}: gate --fail-on {}: {} failed rule(s) at or above that severity: {}", report.host.name,
                 gates.fail_on, failed.size(), rule_ids(failed));
    tripped = true;
  }
  if (gates.unknown == UnknownPolicy::Fail && !unclear_at_threshold.empty()) {
    spdlog::warn("{}: gate --unknown fail: {} rule(s){} could not be evaluated (unknown or error): {}",
                 report.host.name, unclear_at_threshold.size(),
                 gates.fail_on.empty() ? "" : " at or above " + gates.fail_on, rule_ids(unclear_at_threshold));
    tripped = true;
  } else if (gates.unknown == UnknownPolicy::Warn && !unclear.empty()) {
    spdlog::warn(
        "{}: {} rule(s) could not be evaluated (unknown or error), which is not a pass: {} "
        "(--unknown fail makes them trip the gate)",
        report.host.name, unclear.size(), rule_ids(unclear));
  }
  // A score over a handful of rules is not a score: with only a SOFTWARE hive, 100.0 can
  // stand over two dozen unknown rules.
  const Coverage covered = coverage(report.score.totals);
  if ((gates.fail_under || gates.min_coverage_given) && covered.percent() && *covered.percent() < gates.min_coverage) {
    spdlog::warn(
        "{}: gate {}: only {} of {} rules could be scored ({:.1f}%, below --min-coverage {}%), so the score "
        "stands on too little",
        report.host.name,
        gates.fail_under ? fmt::format("--fail-under {}", *gates.fail_under) : std::string("--min-coverage"),
        covered.scored, covered.applicable, *covered.percent(), gates.min_coverage);
    tripped = true;
  }
  if (gates.fail_under) {
    if (!report.score.overall) {
      spdlog::warn("{}: gate --fail-under {}: no rule could be scored, so the score is unknown", report.host.name,
                   *gates.fail_under);
      tripped = true;
    } else if (*report.score.overall < *gates.fail_under) {
      spdlog::warn("{}: gate --fail-under {}: the score is {:.1f}", report.host.name, *gates.fail_under,
                   *report.score.overall);
      tripped = true;
    }
  }
  return tripped;
}

// Applies the waivers for the report's UTC day and says which no longer apply.
void waive(Report& report, const WaiverList& waivers) {
  apply_waivers(report, waivers, std::string_view(report.generated_at).substr(0, 10));
  int active = 0;
  for (const auto& f : report.findings) {
    if (!f.waiver) continue;
    if (f.waived()) {
      ++active;
      continue;
    }
    spdlog::warn(
        "{}: the waiver for {} ({} /waivers/{}) expired on {}, so it no longer applies: the finding counts "
        "again",
        report.host.name, f.rule->id, f.waiver->file, f.waiver->index, f.waiver->expires);
  }
  if (active > 0) spdlog::info("{}: {} finding(s) waived by {}", report.host.name, active, waivers.file);
}

// Writes one host's report to every destination; returns false when a file could not be written.
bool write_reports(const Report& report, const std::vector<Destination>& outputs, const WriterOptions& options) {
  bool ok = true;
  for (const auto& d : outputs) {
    if (!d.path) {
      WriterOptions terminal = options;
      terminal.color = stdout_color();
      terminal.width = stdout_width();
      // Hosts finish at the same time: each report reaches standard output whole.
      std::ostringstream text;
      d.writer->make(terminal)->write(report, text);
      const std::lock_guard lock(stdout_mutex());
      std::cout << text.str();
      std::cout.flush();
      continue;
    }
    const std::string path = expand_output_path(*d.path, report);
    std::ostringstream buffer;
    d.writer->make(options)->write(report, buffer);
    if (auto written = write_file_atomically(path, buffer.str()); !written) {
      spdlog::error("{}", written.error());
      ok = false;
    } else {
      spdlog::info("wrote {} report to {}", d.writer->name, path);
    }
  }
  return ok;
}

std::string writers_help() {
  std::string out = "Report formats (--format, or from the --output extension):\n";
  for (const auto& w : report_writers()) out += fmt::format("  {:<8} {:<14} {}\n", w.name, w.extensions, w.description);
  out += "Output paths may contain {host}, {utc} (20261122T031500Z) and {date} (2026-11-22).\n";
  out += "Fact sources:\n";
  for (const auto& s : fact_sources())
    out += fmt::format("  {:<24} {}{}\n", s.usage, s.description,
                       s.availability == SourceAvailability::Built ? "" : " (not in this build)");
  return out;
}

class AuditCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* audit = app.add_subcommand("audit", "evaluate the rules against a host's facts and write reports");
    add_source_options(*audit, sources_);
    add_fleet_options(*audit, fleet_);
    add_rule_options(*audit, rules_, SelectionFlags::ProfileOnlySkip);
    std::vector<std::string> writer_names;
    for (const auto& w : report_writers()) writer_names.emplace_back(w.name);
    audit->add_option("--format", formats_, "report format for the next --output, or for stdout")
        ->check(CLI::IsMember(writer_names));
    audit->add_option("--output", outputs_, "report file, written atomically; repeatable");
    // Case is ignored (--fail-on High, as a Windows administrator may type it); the value becomes the lower-case name.
    audit->add_option("--fail-on", gates_.fail_on, "exit 1 if a rule of this severity or higher fails")
        ->transform(CLI::IsMember({"critical", "high", "medium", "low", "info"}, CLI::ignore_case))
        ->type_name("SEVERITY");
    audit->add_option("--fail-under", gates_.fail_under, "exit 1 if the overall score is below this")
        ->check(CLI::Range(0.0, 100.0));
    audit
        ->add_option("--min-coverage", gates_.min_coverage,
                     "with --fail-under (or alone), also exit 1 when fewer than PCT percent of the rules that apply "
                     "could be scored (default 50)")
        ->check(CLI::Range(0.0, 100.0));
    audit
        ->add_option("--unknown", unknown_,
                     "how unknown/error rules count for the gates: pass (ignored), warn (a warning line; default), "
                     "fail (exit 1, at or above --fail-on's severity when given)")
        ->transform(CLI::IsMember({"pass", "warn", "fail"}, CLI::ignore_case));
    audit->add_option("--waivers", waivers_path_,
                      "waivers file (smbaudit-waivers/1 JSON): accepted risks that gates let through");
    audit->add_option("--host-label", host_label_,
                      "a stable name for this host, used instead of its own name in finding fingerprints, the SARIF "
                      "category and {host} (CI runners and image builds whose names change every run)");
    audit->add_option("--sarif-category", sarif_category_,
                      "the SARIF automationDetails.id (GitHub code scanning's category; {host} expands); an empty "
                      "TEXT leaves it out so the uploader's own category applies (default smbaudit/{host}/)");
    audit->footer(
        writers_help() +
        "Exit codes: 0 audited and no gate tripped, 1 a gate tripped (--fail-on, --fail-under, --min-coverage,\n"
        "--unknown fail), 2 bad usage or input, 3 collection failed.");
    app_ = audit;
    return audit;
  }

  int run() override {
    gates_.unknown = unknown_ == "fail"   ? UnknownPolicy::Fail
                     : unknown_ == "pass" ? UnknownPolicy::Pass
                                          : UnknownPolicy::Warn;
    gates_.min_coverage_given = app_->count("--min-coverage") > 0;
    WriterOptions writer_options;
    if (app_->count("--sarif-category") > 0) writer_options.sarif_category = sarif_category_;
    auto outputs = destinations(*app_);
    if (!outputs) {
      spdlog::error("{}", outputs.error());
      return code(ExitCode::BadInput);
    }
    // Opening an offline image (hivex reads every page of a hive) overlaps loading the pack;
    // its failure is logged only after the pack's, so a run still reports one error line.
    auto opening = std::async(std::launch::async, [this] { return try_open_sources(sources_); });
    auto rules = prepare_rules(rules_);
    if (!rules) return code(rules.error());
    auto waivers = load_waivers_file(waivers_path_, **rules);
    if (!waivers) return code(waivers.error());
    auto sources = logged(opening.get());
    if (!sources) return code(sources.error());
    if (auto problem = several_hosts_problem(sources->size(), *outputs)) {
      spdlog::error("{}", *problem);
      return code(ExitCode::BadInput);
    }
    if (!host_label_.empty() && sources->size() > 1) {
      spdlog::error("--host-label names one host, but {} hosts are audited: leave it out", sources->size());
      return code(ExitCode::BadInput);
    }
    FleetRun run{fleet_, sources_.integer("--timeout", 30), {}, false, fleet::Verb::Audited};
    for (const auto& d : *outputs) {
      if (d.path)
        run.outputs.push_back(*d.path);
      else
        run.reports_on_stdout = true;
    }
    if (auto problem = fleet_problem(run)) {
      spdlog::error("{}", *problem);
      return code(ExitCode::BadInput);
    }
    const PreparedRules& prepared = **rules;
    FactPlan plan = plan_for(prepared.selection.rules);
    log_plan(prepared, plan);
    // Runs for each host as it finishes, on the worker threads: everything it touches is
    // read-only here or serialised (standard output, logging).
    const auto finish = [&prepared, &waivers = *waivers, &outputs = *outputs, &writer_options,
                         this](fleet::Collected& collected) {
      HostAudit audited = audit_collected(collected, prepared);
      fleet::HostOutcome outcome =
          outcome_of(collected, audited.report ? audited.report->host.name : collected.source.description);
      if (!audited.report) return outcome;
      audited.report->host_label = host_label_;
      if (waivers) waive(*audited.report, *waivers);
      outcome.output_failed = !write_reports(*audited.report, outputs, writer_options);
      outcome.gate_tripped = gate_tripped(*audited.report, gates_);
      return outcome;
    };
    return code(run_fleet(std::move(*sources), std::move(plan), finish, run));
  }

 private:
  CLI::App* app_ = nullptr;
  SourceArgs sources_;
  FleetOptions fleet_;
  RuleOptions rules_;
  std::vector<std::string> formats_, outputs_;
  Gates gates_;
  std::string unknown_ = "warn";
  std::string waivers_path_;
  std::string host_label_;
  std::string sarif_category_;
};

std::string compact_utc(std::string_view iso) {
  std::string out;
  for (char c : iso)
    if (c != '-' && c != ':') out += c;
  return out;
}

}  // namespace

std::string expand_output_path(std::string_view pattern, const Report& report) {
  std::string out;
  out.reserve(pattern.size());
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i);
      if (close != std::string_view::npos) {
        const std::string_view name = pattern.substr(i + 1, close - i - 1);
        std::optional<std::string> value;
        if (name == "host")
          value = !report.host_label.empty() ? report.host_label
                  : report.host.name.empty() ? std::string("unknown-host")
                                             : report.host.name;
        else if (name == "utc")
          value = compact_utc(report.generated_at);
        else if (name == "date")
          value = report.generated_at.substr(0, 10);
        if (value) {
          // A host name never becomes a path: keep only what is safe in a file name.
          for (char c : *value) out += (c == '/' || c == '\\' || c == ':') ? '_' : c;
          i = close + 1;
          continue;
        }
      }
    }
    out += pattern[i++];
  }
  return out;
}

std::unique_ptr<Command> make_audit_command() {
  return std::make_unique<AuditCommand>();
}

}  // namespace smbaudit
