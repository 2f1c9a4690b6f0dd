// Rule texts that name parameters, so a title or a fix line shows the value a profile put in
// effect instead of a number written into the rule ("at least {{min_length}}"):
//   {{name}}            the value: integers in decimal, strings as they are, lists ", "-joined
//   {{name:hex}}        an integer as 0x311; {{name:x}} as 311; {{name:dialect}} as 3.1.1
//   {{name:quoted}}     PowerShell single-quoted strings: 'a', 'b' for a list
//   {{name?TEXT}}       TEXT when the value is true, non-zero or non-empty; {{name?TEXT|ELSE}}
//   {{name=VALUE?TEXT|ELSE}}  TEXT when the value equals VALUE
// docs/rule-format.md ("Texts that follow the profile") is the user's description.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/rule.h"
#include "smbaudit/value.h"

namespace smbaudit {

// The value of a parameter by name, or nullptr when the rule has none of that name.
using ParameterLookup = std::function<const Value*(std::string_view name)>;

// What is wrong with the placeholders of `text` (an unknown parameter or format, a brace left
// open), or nullopt when every placeholder can be expanded.
[[nodiscard]] std::optional<std::string> template_problem(std::string_view text, const ParameterLookup& lookup);

// `text` with every placeholder replaced; a placeholder that cannot be expanded stays as written
// (the loader refuses such texts, so only a hand-built rule can have one).
[[nodiscard]] std::string expand_template(std::string_view text, const ParameterLookup& lookup);

// The texts of a rule that may name its parameters, each with its JSON pointer below the rule:
// the title and the fix's summary, powershell, group_policy, manual and caution.
struct RuleText {
  std::string_view pointer;
  const std::string* text;
};
[[nodiscard]] std::vector<RuleText> parameter_texts(const Rule& rule);

}  // namespace smbaudit
