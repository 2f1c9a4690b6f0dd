#include "audit_command.h"
#include "collect_command.h"
#include "command.h"
#include "diff_command.h"
#include "explain_command.h"
#include "remediate_command.h"
#include "rules_commands.h"
#include "summary_command.h"

namespace smbaudit {

std::vector<std::unique_ptr<Command>> make_commands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(make_audit_command());
  commands.push_back(make_collect_command());
  commands.push_back(make_rules_command());
  commands.push_back(make_diff_command());
  commands.push_back(make_summary_command());
  commands.push_back(make_explain_command());
  commands.push_back(make_remediate_command());
  return commands;
}

}  // namespace smbaudit
