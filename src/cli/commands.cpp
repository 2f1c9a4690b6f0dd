#include "audit_command.h"
#include "collect_command.h"
#include "command.h"
#include "rules_commands.h"

namespace smbaudit {

std::vector<std::unique_ptr<Command>> make_commands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(make_audit_command());
  commands.push_back(make_collect_command());
  commands.push_back(make_rules_command());
  return commands;
}

}  // namespace smbaudit
