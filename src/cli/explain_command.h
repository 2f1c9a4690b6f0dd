// `smbaudit explain RULE_ID`: what the rule protects against, how it is evaluated and,
// given a host, the evaluation step by step (the engine's trace) and why the verdict followed.
#pragma once

#include <memory>

#include "command.h"

namespace smbaudit {

[[nodiscard]] std::unique_ptr<Command> make_explain_command();

}  // namespace smbaudit
