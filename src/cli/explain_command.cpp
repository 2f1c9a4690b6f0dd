#include "explain_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <sstream>

#include "../engine/conditions.h"
#include "../remediate/scripts.h"
#include "../report/render.h"
#include "pipeline.h"

namespace smbaudit {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string host_line(const HostFacts& h) {
  const std::string details = host_summary(h);
  return fmt::format("{} ({})", h.name.empty() ? "unnamed host" : h.name,
                     details.empty() ? "host facts unknown" : details);
}

std::string explain_evidence_line(const Evidence& e) {
  std::string where = e.name.empty() ? e.path : e.path + ", value " + e.name;
  if (e.kind == EvidenceKind::Wmi) where = e.path + "." + e.name;
  if (e.kind == EvidenceKind::Default) return fmt::format("Windows' default ({}): {}", e.path, describe(e.data));
  std::string found;
  if (e.readability != Readability::Read)
    found =
        fmt::format("could not be read ({}): {}", e.readability == Readability::Unknown ? "unknown" : "error", e.note);
  else if (e.kind == EvidenceKind::Service)
    found = e.presence == Presence::Present
                ? fmt::format("installed, start type {}",
                              e.start_type ? std::string(to_string(*e.start_type)) : std::string("unknown"))
                : "not installed";
  else if (e.presence == Presence::Present)
    found = e.type                         ? fmt::format("{} ({})", describe(e.data), to_string(*e.type))
            : e.kind == EvidenceKind::Host ? describe_decimal(e.data)  // build numbers in decimal
                                           : describe(e.data);
  else
    found = "absent";
  if (e.layer) found += ", " + layer_phrase(*e.layer);
  return fmt::format("{} {}: {}", to_string(e.kind), where, found);
}

// What the rule protects against and how it is evaluated: the same for every host.
void print_rule(const Rule& rule, const LoadedRules& loaded, const std::map<std::string, Value>& params,
                std::ostream& out) {
  out << fmt::format("{}: {}\n", rule.id, rule.title);
  const Severity severity = [&] {
    if (!loaded.profile) return rule.severity;
    auto it = loaded.profile->severities.find(rule.id);
    return it == loaded.profile->severities.end() ? rule.severity : it->second;
  }();
  out << fmt::format("  layer {}, severity {}{}, applies to {}\n\n", to_string(rule.layer), to_string(severity),
                     severity == rule.severity ? ""
                                               : fmt::format(" (profile {}; the pack says {})", loaded.profile->name,
                                                             to_string(rule.severity)),
                     describe(rule.applies_to));
  out << "What it protects against:\n" << wrap(rule.rationale, "  ", 100) << "\n";
  out << "How it is evaluated (sources in precedence order; the first one set decides; when none is set,\n"
         "the first default whose condition matches the host is Windows' own behaviour):\n";
  print_check(rule.check, 1, out);
  for (const auto& p : rule.parameters) {
    auto it = params.find(p.name);
    const bool overridden = it != params.end() && it->second != p.default_value;
    out << fmt::format(
        "  parameter {} = {}{}: {}\n", p.name, describe(overridden ? it->second : p.default_value),
        overridden ? fmt::format(" (profile {}; default {})", loaded.profile->name, describe(p.default_value)) : "",
        p.description);
  }
  out << "\n" << wrap("Fix: " + rule.remediation.summary, "", 100);
  for (const auto& line : fix_lines(rule)) out << "  automatic: " << line << "\n";
  if (!rule.remediation.manual.empty()) out << wrap("no automatic fix: " + rule.remediation.manual, "  ", 100);
  if (!rule.remediation.caution.empty()) out << wrap("caution: " + rule.remediation.caution, "  ", 100);
}

// The evaluation on one host, step by step, then the verdict and why.
void print_evaluation(const Rule& rule, const HostFacts& host, const SourceInfo& source, const FactSet& facts,
                      const std::map<std::string, Value>& params, std::ostream& out) {
  std::vector<TraceStep> trace;
  const Finding f = evaluate_traced(rule, host, facts, params, &trace);
  out << fmt::format("\nOn {}, from {} {}:\n", host_line(host), source.kind, source.description);
  for (const auto& step : trace) {
    const std::string pad(static_cast<std::size_t>(step.depth) * 2 + 2, ' ');
    const std::string mark = step.status ? "[" + upper(to_string(*step.status)) + "] " : "- ";
    // A hanging indent keeps each step's continuation lines under its text.
    std::string lines = wrap(mark + step.text, pad + "    ", 110);
    lines.erase(pad.size(), 4);
    out << lines;
  }
  out << "\nEvidence (as the JSON report records it; * decided):\n";
  if (f.evidence.empty()) out << "  (none: the rule did not read any fact on this host)\n";
  for (const auto& e : f.evidence)
    out << (e.role == EvidenceRole::Decided ? "  * " : "    ") << explain_evidence_line(e) << "\n";
  out << "\nVerdict: " << upper(to_string(f.status)) << "\n" << wrap(f.explanation, "  ", 110);
  switch (f.status) {
    case Status::Fail:
      out << "  Fix it with a reviewed script: smbaudit remediate ... --format ps1|reg|gpo --output FILE\n";
      break;
    case Status::Unknown:
    case Status::Error:
      out << "  Not a pass: a fact the rule needs could not be read here, so the verdict is not known.\n";
      break;
    default: break;
  }
}

class ExplainCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* cmd = app.add_subcommand(
        "explain", "explain a rule: what it protects against, how it is evaluated and, given a host, step by step");
    cmd->add_option("rule", rule_id_, "rule id (see smbaudit rules list)")->required();
    add_source_options(*cmd, sources_);
    add_rule_options(*cmd, rules_, SelectionFlags::ProfileOnly);
    cmd->footer(
        "Without a source flag, explains the rule alone; with one (--facts FILE, ...), also evaluates it\n"
        "on that host and shows each source read, what was found, which one decided and why.\n"
        "Exit codes: 0 explained, 2 bad usage or input, 3 collection failed.");
    return cmd;
  }

  int run() override {
    auto loaded = load_rules_or_log(rules_.rules_dir, rules_.profile, rules_.rules_sha256);
    if (!loaded) return code(ExitCode::BadInput);
    const Rule* rule = loaded->pack.find(rule_id_);
    if (!rule) {
      spdlog::error("no rule '{}' in {} (see 'smbaudit rules list')", rule_id_, loaded->pack.origin);
      return code(ExitCode::BadInput);
    }
    std::map<std::string, Value> params;
    if (loaded->profile)
      if (auto it = loaded->profile->parameters.find(rule->id); it != loaded->profile->parameters.end())
        params = it->second;
    // Its title and fix as this profile would have them, as the audit's reports show them.
    const Rule shown = with_parameters(*rule, params);
    rule = &shown;
    std::ostringstream text;
    print_rule(*rule, *loaded, params, text);
    if (loaded->profile) {
      auto selection = select_rules(loaded->pack, &*loaded->profile, {}, {});
      const bool selected = selection && std::any_of(selection->rules.begin(), selection->rules.end(),
                                                     [&](const Rule* r) { return r->id == rule->id; });
      if (!selected)
        text << "\nProfile " << loaded->profile->name << " does not select this rule: its audits skip it.\n";
    }
    std::cout << text.str();
    const bool source_given = std::any_of(fact_sources().begin(), fact_sources().end(),
                                          [&](const SourceEntry& s) { return s.selected(sources_); });
    if (!source_given) return code(ExitCode::Ok);
    auto sources = open_sources(sources_);
    if (!sources) return code(sources.error());
    for (auto& source : *sources) {
      auto host = source->host();
      if (!host) {
        spdlog::error("{}", host.error().message);
        return code(exit_code_for(host.error().failure));
      }
      auto facts = source->collect(plan_for({rule}));
      if (!facts) {
        spdlog::error("{}", facts.error().message);
        return code(exit_code_for(facts.error().failure));
      }
      std::ostringstream steps;
      print_evaluation(*rule, *host, source->info(), *facts, params, steps);
      std::cout << steps.str();
    }
    return code(ExitCode::Ok);
  }

 private:
  std::string rule_id_;
  SourceArgs sources_;
  RuleOptions rules_;
};

}  // namespace

std::unique_ptr<Command> make_explain_command() {
  return std::make_unique<ExplainCommand>();
}

}  // namespace smbaudit
