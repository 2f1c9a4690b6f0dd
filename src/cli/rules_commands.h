// The `rules` subcommands and the rule-pack/profile loading every auditing command shares.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "../rules/pack_loading.h"
#include "command.h"
#include "smbaudit/expected.h"
#include "smbaudit/rule_loader.h"

namespace smbaudit {

struct RulesOptions {
  std::string rules_dir;
  std::string format = "text";
  std::string profile;
  std::string id;
  std::string validate_dir;
};

// load_rules (src/rules/pack_loading.h), logging each problem as one line: nullopt on any.
[[nodiscard]] std::optional<LoadedRules> load_rules_or_log(const std::string& rules_dir, const std::string& profile,
                                                           const std::string& expected_sha256 = {});

// Logs problems one line each: the first limits::kMaxErrorsShown, then how many more.
void log_problems(const PackProblems& problems);

// log_problems for one file's load errors (a profile, a waivers file).
void log_load_errors(const std::vector<LoadError>& errors, const std::string& origin);

// The rule's automatic fix, one line per registry value or service it sets.
[[nodiscard]] std::vector<std::string> fix_lines(const Rule& rule);

int rules_list(const RulesOptions& opt);
int rules_show(const RulesOptions& opt);
int rules_validate(const RulesOptions& opt);
int rules_digest(const RulesOptions& opt);

// `smbaudit rules list|show|validate|digest`.
[[nodiscard]] std::unique_ptr<Command> make_rules_command();

}  // namespace smbaudit
