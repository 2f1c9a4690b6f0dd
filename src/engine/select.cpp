// Choosing the rules a run evaluates: the profile's, --only and --skip, with parameters applied.
#include <fmt/format.h>

#include <algorithm>

#include "smbaudit/engine.h"

namespace smbaudit {

Expected<Selection, std::string> select_rules(const RulePack& pack, const Profile* profile,
                                              const std::vector<std::string>& only,
                                              const std::vector<std::string>& skip) {
  for (const auto* list : {&only, &skip})
    for (const auto& id : *list)
      if (!pack.find(id)) return Unexpected(fmt::format("no rule '{}' in the pack (see 'smbaudit rules list')", id));
  Selection sel;
  const auto any = [](const std::vector<std::string>& patterns, const std::string& id) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const auto& p) { return glob_match(p, id); });
  };
  for (const auto& rule : pack.rules) {
    const bool named = std::find(only.begin(), only.end(), rule.id) != only.end();
    const bool in_profile =
        !profile || ((profile->include.empty() || any(profile->include, rule.id)) && !any(profile->exclude, rule.id));
    if (!only.empty() && !named) continue;
    if (!in_profile && !named) continue;
    if (std::find(skip.begin(), skip.end(), rule.id) != skip.end()) continue;
    if (!in_profile) sel.outside_profile.push_back(rule.id);
    sel.rules.push_back(&rule);
  }
  if (profile) {
    sel.parameters = profile->parameters;
    sel.severities = profile->severities;
  }
  static const std::map<std::string, Value> kNone;
  for (const Rule*& rule : sel.rules) {
    auto params = sel.parameters.find(rule->id);
    sel.resolved.push_back(
        std::make_shared<const Rule>(with_parameters(*rule, params == sel.parameters.end() ? kNone : params->second)));
    rule = sel.resolved.back().get();
  }
  return sel;
}

}  // namespace smbaudit
