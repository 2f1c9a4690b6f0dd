#include "remediate_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "../remediate/scripts.h"
#include "../report/json_writer.h"
#include "../report/report_reader.h"
#include "audit_command.h"
#include "gpo_files.h"
#include "pipeline.h"
#include "smbaudit/report_writer.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

// The profile a report names, as --profile takes it: reports of a pack without profiles say so.
std::string profile_of(const ReadReport& report) {
  return report.profile.rfind("(none", 0) == 0 ? std::string() : report.profile;
}

// Writes the plan as `format`: to `output` (and the rollback beside it), or the main
// script to standard output. Returns false when a file could not be written.
bool write_plan(const RemediationPlan& plan, const ScriptFormat& format, const std::optional<std::string>& output) {
  if (format.folder && output) {
    if (auto written = write_gpo_files(plan, *output); !written) {
      spdlog::error("{}", written.error());
      return false;
    }
    spdlog::info("{}: {} rule(s) fixed, {} manual step(s); wrote the GPO {} and its rollback {}", plan.host,
                 plan.fixes.size(), plan.manual.size(), *output, gpo_rollback_folder(*output).string());
    return true;
  }
  const std::string rollback_file = output ? rollback_path(*output, format) : std::string();
  const std::string rollback_name = output ? std::filesystem::path(rollback_file).filename().string() : "";
  const ScriptText text = format.render(plan, rollback_name);
  if (!output) {
    std::cout << text.main;
    std::cout.flush();
    if (text.rollback) spdlog::warn("the rollback is written only with --output FILE (beside it)");
    return true;
  }
  // The rollback first: a fix script must never exist without its way back.
  if (text.rollback) {
    if (auto written = write_file_atomically(rollback_file, format.encode(*text.rollback)); !written) {
      spdlog::error("{}", written.error());
      return false;
    }
    spdlog::info("wrote the rollback to {}", rollback_file);
  }
  if (auto written = write_file_atomically(*output, format.encode(text.main)); !written) {
    spdlog::error("{}", written.error());
    return false;
  }
  spdlog::info("{}: {} rule(s) fixed, {} manual step(s); wrote {}", plan.host, plan.fixes.size(), plan.manual.size(),
               *output);
  return true;
}

std::string formats_help() {
  std::string out = "Formats (--format):\n";
  for (const auto& f : script_formats())
    out += fmt::format(
        "  {:<5} {}{}\n", f.name, f.description,
        f.rollback_suffix.empty() ? "" : fmt::format(" (FILE{} -> FILE{})", f.extension, f.rollback_suffix));
  out +=
      "Only failed rules are remediated; rules without a safe automatic fix are listed as manual steps.\n"
      "smbaudit changes nothing itself: review the script, then run it.\n"
      "Exit codes: 0 written, 2 bad usage or input, 3 collection failed.\n";
  return out;
}

class RemediateCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* cmd = app.add_subcommand(
        "remediate",
        "write a reviewed fix script for the failed rules of a report (or of an audit), with its rollback");
    cmd->add_option("--report", report_, "a JSON report (smbaudit audit --format json) to remediate");
    add_source_options(*cmd, sources_);
    add_rule_options(*cmd, rules_, SelectionFlags::ProfileOnly);
    std::vector<std::string> names;
    for (const auto& f : script_formats()) names.emplace_back(f.name);
    cmd->add_option("--format", format_, "ps1, reg, gpo or gpo-files")->required()->check(CLI::IsMember(names));
    cmd->add_option("--output", output_,
                    "script file, written atomically with its rollback beside it; may contain {host}, {utc}, {date}; "
                    "the format's extension is added when FILE has none");
    cmd->add_option("--waivers", waivers_path_,
                    "with a fact source: the waivers file the audit uses (a --report carries its own waivers)");
    cmd->add_flag("--include-waived", include_waived_,
                  "also change what an active waiver accepts (by default waived findings are left as they are and "
                  "listed in the header)");
    cmd->footer(formats_help());
    return cmd;
  }

  int run() override {
    const ScriptFormat* format = find_script_format(format_);
    if (!format) {
      spdlog::error("unknown remediation format '{}' (ps1, reg, gpo, gpo-files)", format_);
      return code(ExitCode::BadInput);
    }
    const bool source_given = std::any_of(fact_sources().begin(), fact_sources().end(),
                                          [&](const SourceEntry& s) { return s.selected(sources_); });
    if (!report_.empty() && source_given) {
      spdlog::error("give either --report FILE or a fact source to audit, not both");
      return code(ExitCode::BadInput);
    }
    if (!report_.empty() && !waivers_path_.empty()) {
      spdlog::error("--waivers goes with a fact source: a --report already records the waivers its audit applied");
      return code(ExitCode::BadInput);
    }
    if (format->folder && output_.empty()) {
      spdlog::error("--format {} writes two folders: give --output DIR", format->name);
      return code(ExitCode::BadInput);
    }
    if (!output_.empty() && !format->folder) {
      auto output = with_extension(output_, *format);
      if (!output) {
        spdlog::error("{}", output.error());
        return code(ExitCode::BadInput);
      }
      output_ = *output;
    }
    return report_.empty() ? from_audit(*format) : from_report(*format);
  }

 private:
  int from_report(const ScriptFormat& format) {
    auto report = read_report(report_);
    if (!report) {
      spdlog::error("{}", report.error());
      return code(ExitCode::BadInput);
    }
    // The profile the audit used decides the parameters (the dialect floor, NTLM level...).
    const std::string profile = rules_.profile.empty() ? profile_of(*report) : rules_.profile;
    auto loaded = load_rules_or_log(rules_.rules_dir, profile, rules_.rules_sha256);
    if (!loaded) {
      if (rules_.profile.empty())
        spdlog::error("{}: the report was made with profile '{}': pass --profile (and --rules) to remediate it",
                      report_, profile);
      return code(ExitCode::BadInput);
    }
    if (!report->rules_origin.empty() && report->rules_origin != loaded->pack.origin)
      spdlog::warn("{}: the audit used the rules of {}, remediation those of {} (--rules)", report_,
                   report->rules_origin, loaded->pack.origin);
    if (!offline_allowed(*report, format, report_)) return code(ExitCode::BadInput);
    const RuleParameters params = loaded->profile ? loaded->profile->parameters : RuleParameters{};
    const RemediationPlan plan = plan_remediation(*report, loaded->pack, params, waived_findings());
    std::optional<std::string> output;
    if (!output_.empty()) output = expand_output_path(output_, synthetic_report(*report));
    return write_plan(plan, format, output) ? code(ExitCode::Ok) : code(ExitCode::BadInput);
  }

  int from_audit(const ScriptFormat& format) {
    auto rules = prepare_rules(rules_);
    if (!rules) return code(rules.error());
    auto waivers = load_waivers_file(waivers_path_, **rules);
    if (!waivers) return code(waivers.error());
    auto sources = open_sources(sources_);
    if (!sources) return code(sources.error());
    if (sources->size() > 1 && (output_.empty() || output_.find("{host}") == std::string::npos)) {
      spdlog::error("several hosts: give --output with {{host}} in it, one script per host");
      return code(ExitCode::BadInput);
    }
    ExitCode worst = ExitCode::Ok;
    for (auto& source : *sources) {
      auto audited = audit_host(*source, **rules);
      if (audited.code != ExitCode::Ok) worst = audited.code;
      // An unreachable host's report holds only errors: nothing to remediate.
      if (!audited.report || audited.code != ExitCode::Ok) continue;
      auto& report = audited.report;
      if (*waivers) apply_waivers(*report, **waivers, std::string_view(report->generated_at).substr(0, 10));
      // One path for both: the plan is made from the report as it would be written.
      auto read = parse_report(report_to_json(*report).dump(), report->host.name);
      if (!read) {
        spdlog::error("{}", read.error());
        return 70;  // internal error, as main() reports a bug
      }
      if (!offline_allowed(*read, format, read->source_description)) return code(ExitCode::BadInput);
      const RemediationPlan plan =
          plan_remediation(*read, (*rules)->loaded.pack, (*rules)->selection.parameters, waived_findings());
      std::optional<std::string> output;
      if (!output_.empty()) output = expand_output_path(output_, *report);
      if (!write_plan(plan, format, output)) worst = ExitCode::BadInput;
    }
    return code(worst);
  }

  // expand_output_path takes a Report; a read-back report has the fields it uses.
  static Report synthetic_report(const ReadReport& r) {
    Report out;
    out.host.name = r.host_name;
    out.host_label = r.host_label;
    out.generated_at = r.generated_at;
    return out;
  }

  WaivedFindings waived_findings() const { return include_waived_ ? WaivedFindings::Include : WaivedFindings::Leave; }

  // A ps1 or .reg changes the registry of the machine that runs it. For an offline image
  // that is the wrong machine: its fix would land on the administrator's workstation, under
  // CurrentControlSet, not in the image's hives. The gpo table changes nothing and says
  // which settings to build into the image, so it is still written.
  static bool offline_allowed(const ReadReport& report, const ScriptFormat& format, const std::string& what) {
    if (report.source_kind != "offline" || format.name == "gpo" || format.folder) return true;
    spdlog::error(
        "{}: the audit read an offline image, and a {} script would change the registry of the computer that runs "
        "it, not the image: use --format gpo for the settings to build into the image, or boot the image (or "
        "mount it and load its hives) and audit and remediate that running system",
        what, format.name);
    return false;
  }

  // PowerShell runs only .ps1 files and regedit imports .reg ones: a FILE without an
  // extension gets the format's, and a ps1 or reg script under another extension is refused.
  static Expected<std::string, std::string> with_extension(const std::string& output, const ScriptFormat& format) {
    const std::filesystem::path path(output);
    const std::string ext = path.extension().string();
    if (ext.empty() || ext.find('}') != std::string::npos) return output + std::string(format.extension);
    if (iequals(ext, format.extension) || format.name == "gpo") return output;
    return Unexpected(fmt::format("--output {}: a {} script must end in {} for Windows to run it", output, format.name,
                                  format.extension));
  }

  std::string report_;
  SourceArgs sources_;
  RuleOptions rules_;
  std::string format_;
  std::string output_;
  std::string waivers_path_;
  bool include_waived_ = false;
};

}  // namespace

std::unique_ptr<Command> make_remediate_command() {
  return std::make_unique<RemediateCommand>();
}

}  // namespace smbaudit
