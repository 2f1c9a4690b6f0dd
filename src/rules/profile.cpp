// Profiles: which rules a run audits, with their parameters and severities.
#include <fmt/format.h>

#include <algorithm>

#include "../core/json_value.h"
#include "json_reader.h"

namespace smbaudit {
namespace {
constexpr std::string_view kProfileSchema = "smbaudit-profile/1";
}  // namespace

Expected<Profile, std::vector<LoadError>> load_profile(const RuleFile& file, const RulePack& pack) {
  std::vector<LoadError> errors;
  auto doc = parse_json(file, errors);
  const auto failed = [&]() -> Expected<Profile, std::vector<LoadError>> { return Unexpected(std::move(errors)); };
  if (!doc) return failed();
  FileReader r(file.name, errors);
  if (!check_schema(*doc, kProfileSchema, r)) return failed();
  r.only_keys(*doc, "", {"$schema", "schema", "name", "description", "include", "exclude", "parameters", "severity"});
  Profile p;
  p.name = r.string_field(*doc, "", "name", true).value_or("");
  p.description = r.string_field(*doc, "", "description", false).value_or("");
  p.include = r.string_list(*doc, "", "include");
  p.exclude = r.string_list(*doc, "", "exclude");
  const auto matches_any_rule = [&pack](const std::string& pattern) {
    return std::any_of(pack.rules.begin(), pack.rules.end(),
                       [&](const Rule& rule) { return glob_match(pattern, rule.id); });
  };
  for (const auto* list : {&p.include, &p.exclude})
    for (const auto& pattern : *list)
      if (!matches_any_rule(pattern))
        r.fail(list == &p.include ? "/include" : "/exclude", fmt::format("'{}' matches no rule in the pack", pattern));
  if (const json* params = r.member(*doc, "", "parameters", false)) {
    if (!params->is_object()) r.fail("/parameters", "expected {RULE_ID: {PARAMETER: VALUE}}");
    const json& param_map = params->is_object() ? *params : empty_json_object();
    for (const auto& [rule_id, values] : param_map.items()) {
      const std::string at = "/parameters/" + escape_pointer(rule_id);
      const Rule* rule = pack.find(rule_id);
      if (!rule) {
        r.fail(at, fmt::format("no rule '{}' in the pack", rule_id));
        continue;
      }
      if (!values.is_object()) {
        r.fail(at, "expected {PARAMETER: VALUE}");
        continue;
      }
      for (const auto& [name, v] : values.items()) {
        const Parameter* param = rule->parameter(name);
        auto parsed = value_from_json(v);
        if (!param)
          r.fail(at + "/" + escape_pointer(name), fmt::format("rule '{}' has no parameter '{}'", rule_id, name));
        else if (!parsed || parsed->index() != param->default_value.index())
          r.fail(at + "/" + escape_pointer(name),
                 fmt::format("expected a value of the same type as the default ({})", describe(param->default_value)));
        else
          p.parameters[rule_id][name] = *parsed;
      }
    }
  }
  if (const json* severities = r.member(*doc, "", "severity", false)) {
    if (!severities->is_object()) r.fail("/severity", "expected {RULE_ID: SEVERITY}");
    const json& severity_map = severities->is_object() ? *severities : empty_json_object();
    for (const auto& [rule_id, v] : severity_map.items()) {
      const std::string at = "/severity/" + escape_pointer(rule_id);
      if (!pack.find(rule_id)) {
        r.fail(at, fmt::format("no rule '{}' in the pack", rule_id));
        continue;
      }
      auto sev = v.is_string() ? severity_from_string(v.template get<std::string>()) : std::nullopt;
      if (!sev)
        r.fail(at, "expected one of " + severity_names());
      else
        p.severities[rule_id] = *sev;
    }
  }
  if (!errors.empty()) return failed();
  return p;
}

}  // namespace smbaudit
