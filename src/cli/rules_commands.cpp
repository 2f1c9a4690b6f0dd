#include "rules_commands.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../core/input.h"
#include "../core/json_value.h"
#include "../engine/conditions.h"
#include "../rules/pack_loading.h"
#include "exit_codes.h"
#include "pipeline.h"
#include "smbaudit/engine.h"
#include "smbaudit/limits.h"
#include "smbaudit/text.h"
#include "smbaudit/version.h"

namespace smbaudit {
namespace {

// The pack loading in src/rules, with each problem logged as one line.
std::optional<PackFiles> pack_files_or_log(const std::string& dir) {
  auto files = pack_files(dir);
  if (!files) {
    log_problems(files.error());
    return std::nullopt;
  }
  return std::move(*files);
}

std::optional<RulePack> parse_pack_or_log(const PackFiles& files) {
  auto pack = parse_pack(files);
  if (!pack) {
    log_problems(pack.error());
    return std::nullopt;
  }
  return std::move(*pack);
}

}  // namespace

std::vector<std::string> fix_lines(const Rule& rule) {
  std::vector<std::string> lines;
  for (const auto& f : rule.remediation.registry) {
    std::string line = fmt::format(
        "{}\\{} = {} ({})", f.key, f.value_parameter ? "<each of parameter " + *f.value_parameter + ">" : f.value,
        f.data.parameter ? "parameter " + *f.data.parameter : describe(f.data.literal), to_string(f.type));
    std::vector<std::string> conditions;
    if (!f.when.empty()) conditions.push_back("on " + describe(f.when));
    for (const auto& [name, v] : f.when_parameters)
      conditions.push_back(fmt::format("when parameter {} is {}", name, describe(v)));
    if (f.scope == FixScope::OnlyIfSet) conditions.emplace_back("only where already set");
    if (!conditions.empty()) line += ", " + join(conditions, ", ");
    lines.push_back(std::move(line));
  }
  for (const auto& s : rule.remediation.services)
    lines.push_back(fmt::format("service {} start type {}", s.service, to_string(s.start_type)));
  for (const auto& a : rule.remediation.account_policy)
    lines.push_back(fmt::format("account policy {} = {}", a.setting,
                                a.value.parameter ? "parameter " + *a.value.parameter : describe(a.value.literal)));
  return lines;
}

void log_problems(const PackProblems& problems) {
  const auto& lines = problems.lines;
  for (std::size_t i = 0; i < lines.size() && i < limits::kMaxErrorsShown; ++i) spdlog::error("{}", lines[i]);
  if (lines.size() > limits::kMaxErrorsShown)
    spdlog::error("{}: {} more problems not shown", problems.origin, lines.size() - limits::kMaxErrorsShown);
}

void log_load_errors(const std::vector<LoadError>& errors, const std::string& origin) {
  log_problems(problems_of(errors, origin));
}

std::optional<LoadedRules> load_rules_or_log(const std::string& rules_dir, const std::string& profile,
                                             const std::string& expected_sha256) {
  auto loaded = load_rules(rules_dir, profile, expected_sha256);
  if (!loaded) {
    log_problems(loaded.error());
    return std::nullopt;
  }
  return std::move(*loaded);
}

namespace {

// The pack's profiles that select `rule`, by name.
std::vector<std::string> selecting_profiles(const std::string& rules_dir, const RulePack& pack, const Rule& rule) {
  static std::map<std::string, std::vector<Profile>> cache;  // by pack folder: rules list asks once per rule
  auto [it, fresh] = cache.try_emplace(rules_dir);
  if (fresh)
    if (auto files = pack_files_or_log(rules_dir))
      for (const auto& f : files->profiles)
        if (auto p = load_profile(f, pack)) it->second.push_back(std::move(*p));
  std::vector<std::string> names;
  for (const auto& p : it->second) {
    auto selection = select_rules(pack, &p, {}, {});
    if (selection &&
        std::any_of(selection->rules.begin(), selection->rules.end(), [&](const Rule* r) { return r->id == rule.id; }))
      names.push_back(p.name);
  }
  return names;
}

}  // namespace

namespace {

// "the first source set decides" tables for docs/rules.md: for each setting a rule compares,
// where Windows reads it (in precedence) and what Windows does when none is set, by build,
// edition and role: the defaults a verdict on an unconfigured host rests on.
void markdown_sources_and_defaults(const Check& check, std::ostream& out) {
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, SettingCheck>) {
          std::vector<std::string> sources;
          for (const auto& s : node.setting.sources) {
            std::string where;
            if (const auto* reg = std::get_if<RegistrySource>(&s.where))
              where = fmt::format("`{}\\{}`", reg->key, reg->value);
            else if (const auto* wmi = std::get_if<WmiSource>(&s.where))
              where = fmt::format("WMI `{}:{}.{}`", wmi->cls.name_space, wmi->cls.class_name, wmi->property);
            if (!s.read_when.empty()) where += " (read only on " + describe(s.read_when) + ")";
            if (s.when_unavailable == WhenUnavailable::Skip) where += " (skipped where it cannot be known)";
            sources.push_back(std::to_string(sources.size() + 1) + ". " + where);
          }
          out << fmt::format("\n`{}`: expected {}{}\n\n- Read from, the first one set deciding: {}\n",
                             check.label.empty() ? "setting" : check.label, operand_text(node.op, node.operand),
                             node.setting.parse ? ", field " + node.setting.parse->field + " of a k=v list" : "",
                             join(sources, "; "));
          if (node.setting.defaults.empty()) {
            out << "- Where none is set: no Windows default applies (the setting reads as not set)\n";
            return;
          }
          out << "- Where none is set, Windows' default (the first line that matches the host):\n\n"
                 "| On | Default | Why |\n|---|---|---|\n";
          for (const DefaultCase& d : node.setting.defaults)
            out << fmt::format("| {} | {} | {} |\n", markdown_cell(d.when.empty() ? "any host" : describe(d.when)),
                               !d.unknown.empty()                                ? "cannot be known"
                               : std::holds_alternative<std::monostate>(d.value) ? "not set"
                                                                                 : "`" + describe(d.value) + "`",
                               markdown_cell(!d.unknown.empty() ? d.unknown
                                             : d.note.empty()   ? "-"
                                                                : d.note));
        } else if constexpr (std::is_same_v<T, CompositeCheck>) {
          for (const auto& child : node.children) markdown_sources_and_defaults(child, out);
        }
      },
      check.node);
}

}  // namespace

int rules_list(const RulesOptions& opt) {
  auto loaded = load_rules_or_log(opt.rules_dir, opt.profile);
  if (!loaded) return code(ExitCode::BadInput);
  // Without --profile, list the whole pack; with one, what that profile would audit, with
  // the severities and parameters it puts in effect.
  const Profile* profile = opt.profile.empty() || !loaded->profile ? nullptr : &*loaded->profile;
  auto selection = select_rules(loaded->pack, profile, {}, {});
  if (!selection) {
    spdlog::error("{}", selection.error());
    return code(ExitCode::BadInput);
  }
  const std::vector<const Rule*>& rules = selection->rules;
  const auto severity_of = [&](const Rule& r) {
    auto it = selection->severities.find(r.id);
    return it == selection->severities.end() ? r.severity : it->second;
  };
  const auto value_of = [&](const Rule& r, const Parameter& p) {
    auto rule_params = selection->parameters.find(r.id);
    if (rule_params == selection->parameters.end()) return p.default_value;
    auto it = rule_params->second.find(p.name);
    return it == rule_params->second.end() ? p.default_value : it->second;
  };
  if (opt.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const Rule* r : rules) {
      nlohmann::json params = nlohmann::json::object();
      for (const auto& p : r->parameters) {
        params[p.name] = {{"default", value_to_json(p.default_value)}, {"description", p.description}};
        if (profile) params[p.name]["value"] = value_to_json(value_of(*r, p));
      }
      nlohmann::json entry{{"id", r->id},
                           {"title", r->title},
                           {"layer", to_string(r->layer)},
                           {"severity", to_string(severity_of(*r))},
                           {"applies_to", describe(r->applies_to)},
                           {"parameters", params},
                           {"facts", facts_read(*r)},
                           {"file", r->file},
                           {"profiles", selecting_profiles(opt.rules_dir, loaded->pack, *r)}};
      if (profile) entry["pack_severity"] = to_string(r->severity);
      out.push_back(std::move(entry));
    }
    std::cout << out.dump(2) << "\n";
    return code(ExitCode::Ok);
  }
  if (opt.format == "markdown") {
    std::cout << "# Rules\n\nGenerated by `smbaudit rules list --format markdown`; do not edit by hand.\n";
    for (Layer layer : kAllLayers) {
      std::cout << fmt::format("\n## Layer: {}\n", to_string(layer));
      for (const Rule* r : rules) {
        if (r->layer != layer) continue;
        std::cout << fmt::format("\n### `{}`: {}\n\n", r->id, r->title);
        std::cout << fmt::format("- Severity: {}\n- Applies to: {}\n", to_string(severity_of(*r)),
                                 describe(r->applies_to));
        const auto profiles = selecting_profiles(opt.rules_dir, loaded->pack, *r);
        std::cout << "- Selected by profiles: " << (profiles.empty() ? "none" : join(profiles, ", ")) << "\n";
        for (const auto& p : r->parameters)
          std::cout << fmt::format("- Parameter `{}` (default {}): {}\n", p.name, describe(p.default_value),
                                   p.description);
        std::cout << "- Reads: " << join(facts_read(*r), "; ") << "\n";
        std::cout << fmt::format("\n{}\n", r->rationale);
        std::ostringstream sources;
        markdown_sources_and_defaults(r->check, sources);
        if (!sources.str().empty()) std::cout << "\n**Sources and defaults.**\n" << sources.str();
        std::cout << fmt::format("\n**Fix.** {}\n", r->remediation.summary);
        if (!r->remediation.powershell.empty())
          std::cout << fmt::format("\n```powershell\n{}\n```\n", r->remediation.powershell);
        if (!r->remediation.group_policy.empty())
          std::cout << fmt::format("\nGroup Policy: {}\n", r->remediation.group_policy);
        if (r->remediation.automatic()) {
          std::cout << "\nAutomatic fix (`smbaudit remediate`):\n\n";
          for (const auto& line : fix_lines(*r)) std::cout << "- `" << line << "`\n";
        } else if (!r->remediation.manual.empty()) {
          std::cout << "\nNo automatic fix: " << r->remediation.manual << "\n";
        }
        if (!r->remediation.caution.empty()) std::cout << "\n**Caution.** " << r->remediation.caution << "\n";
      }
    }
    if (!loaded->scope_notes.empty()) {
      std::cout << "\n## Outside a host audit's reach\n\n";
      for (const auto& n : loaded->scope_notes) std::cout << "- " << n << "\n";
    }
    return code(ExitCode::Ok);
  }
  if (profile)
    std::cout << fmt::format("Rules profile {} selects, with its severities and parameters:\n", profile->name);
  std::cout << fmt::format("{:<40} {:<15} {:<9} {:<13} {}\n", "RULE", "LAYER", "SEVERITY", "PROFILES", "TITLE");
  for (const Rule* r : rules) {
    const auto profiles = selecting_profiles(opt.rules_dir, loaded->pack, *r);
    std::cout << fmt::format("{:<40} {:<15} {:<9} {:<13} {}\n", r->id, to_string(r->layer), to_string(severity_of(*r)),
                             profiles.empty() ? "-" : join(profiles, ","), r->title);
    if (!profile) continue;
    std::vector<std::string> notes;
    if (severity_of(*r) != r->severity)
      notes.push_back(
          fmt::format("severity {} (the pack says {})", to_string(severity_of(*r)), to_string(r->severity)));
    for (const auto& p : r->parameters) {
      const Value v = value_of(*r, p);
      notes.push_back(v == p.default_value
                          ? fmt::format("{} = {}", p.name, describe(v))
                          : fmt::format("{} = {} (default {})", p.name, describe(v), describe(p.default_value)));
    }
    if (!notes.empty()) std::cout << "    " << join(notes, "; ") << "\n";
  }
  return code(ExitCode::Ok);
}

int rules_show(const RulesOptions& opt) {
  auto loaded = load_rules_or_log(opt.rules_dir, "");
  if (!loaded) return code(ExitCode::BadInput);
  const Rule* found = loaded->pack.find(opt.id);
  if (!found) {
    spdlog::error("no rule '{}' in {} (see 'smbaudit rules list')", opt.id, loaded->pack.origin);
    return code(ExitCode::BadInput);
  }
  const Rule shown = with_parameters(*found, {});  // texts with the rule's default parameters
  const Rule* r = &shown;
  std::cout << fmt::format("{}: {}\n", r->id, r->title);
  std::cout << fmt::format("  layer {}, severity {}, applies to {}\n  defined in {}\n\n", to_string(r->layer),
                           to_string(r->severity), describe(r->applies_to), r->file);
  std::cout << "Why:\n  " << r->rationale << "\n\nCheck:\n";
  print_check(r->check, 1, std::cout);
  for (const auto& p : r->parameters)
    std::cout << fmt::format("  parameter {} = {}: {}\n", p.name, describe(p.default_value), p.description);
  std::cout << "\nFix:\n  " << r->remediation.summary << "\n";
  if (!r->remediation.powershell.empty()) std::cout << "  PowerShell:   " << r->remediation.powershell << "\n";
  if (!r->remediation.group_policy.empty()) std::cout << "  Group Policy: " << r->remediation.group_policy << "\n";
  for (const auto& line : fix_lines(*r)) std::cout << "  Automatic:    " << line << "\n";
  if (!r->remediation.manual.empty()) std::cout << "  Manual:       " << r->remediation.manual << "\n";
  if (!r->remediation.caution.empty()) std::cout << "  Caution:      " << r->remediation.caution << "\n";
  if (!r->references.empty()) {
    std::cout << "\nReferences:\n";
    for (const auto& ref : r->references) std::cout << "  " << ref << "\n";
  }
  return code(ExitCode::Ok);
}

int rules_digest(const RulesOptions& opt) {
  auto files = pack_files_or_log(opt.rules_dir);
  if (!files) return code(ExitCode::BadInput);
  std::cout << files->digest() << "\n";
  return code(ExitCode::Ok);
}

int rules_validate(const RulesOptions& opt) {
  const std::string dir = !opt.validate_dir.empty() ? opt.validate_dir : opt.rules_dir;
  auto files = pack_files_or_log(dir);
  if (!files) return code(ExitCode::BadInput);
  auto pack = parse_pack_or_log(*files);
  if (!pack) return code(ExitCode::BadInput);
  int bad = 0;
  for (const auto& f : files->profiles) {
    if (auto p = load_profile(f, *pack); !p) {
      log_load_errors(p.error(), f.name);
      ++bad;
    }
  }
  if (bad) return code(ExitCode::BadInput);
  std::cout << fmt::format("{}: {} rules in {} files and {} profiles are valid\n", files->origin, pack->rules.size(),
                           files->rules.size(), files->profiles.size());
  return code(ExitCode::Ok);
}

namespace {

class RulesCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* rules = app.add_subcommand("rules", "list, show and validate rules");
    rules->footer("Exit codes: 0 ok, 2 bad usage, an unknown rule, or an invalid rule pack or profile.");
    rules->require_subcommand(1);
    rules->add_option("--rules", opt_.rules_dir, "rule pack folder (default: the built-in pack)");
    list_ = rules->add_subcommand("list", "list the rules and the facts each reads");
    list_->add_option("--format", opt_.format, "text, json or markdown")
        ->check(CLI::IsMember({"text", "json", "markdown"}));
    list_->add_option("--profile", opt_.profile, "only the rules this profile selects");
    show_ = rules->add_subcommand("show", "show one rule in full");
    show_->add_option("id", opt_.id, "rule id")->required();
    digest_ = rules->add_subcommand("digest", "print the pack's SHA-256 digest, for --rules-sha256");
    validate_ = rules->add_subcommand("validate", "check a rule pack and its profiles; exit 2 on any problem");
    validate_->add_option("dir", opt_.validate_dir, "rule pack folder (default: the built-in pack)");
    return rules;
  }

  int run() override {
    if (list_->parsed()) return rules_list(opt_);
    if (show_->parsed()) return rules_show(opt_);
    if (validate_->parsed()) return rules_validate(opt_);
    if (digest_->parsed()) return rules_digest(opt_);
    return code(ExitCode::BadInput);
  }

 private:
  RulesOptions opt_;
  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* validate_ = nullptr;
  CLI::App* digest_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_rules_command() {
  return std::make_unique<RulesCommand>();
}

}  // namespace smbaudit
