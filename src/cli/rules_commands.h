// The `rules` subcommands and the rule-pack/profile loading every auditing command shares.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

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

struct LoadedRules {
  RulePack pack;
  std::optional<Profile> profile;
  std::vector<std::string> scope_notes;
  std::string sha256;                  // pack_digest() of the files read
  std::optional<std::string> version;  // the built-in pack's (the tool's version); a folder has none
};

// Loads the pack (built-in when `rules_dir` is empty) and the named profile; logs each
// problem as one line and returns nullopt on any. With `expected_sha256`, a pack whose
// digest differs is refused before it is parsed.
[[nodiscard]] std::optional<LoadedRules> load_rules(const std::string& rules_dir, const std::string& profile,
                                                    const std::string& expected_sha256 = {});

// Prints how a check is evaluated (sources in precedence order, defaults, operators), one
// line per node, indented two spaces per level from `depth`.
void print_check(const Check& check, int depth, std::ostream& out);

// The rule's automatic fix, one line per registry value or service it sets.
[[nodiscard]] std::vector<std::string> fix_lines(const Rule& rule);

int rules_list(const RulesOptions& opt);
int rules_show(const RulesOptions& opt);
int rules_validate(const RulesOptions& opt);
int rules_digest(const RulesOptions& opt);

// `smbaudit rules list|show|validate|digest`.
[[nodiscard]] std::unique_ptr<Command> make_rules_command();

}  // namespace smbaudit
