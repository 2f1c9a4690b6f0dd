// `smbaudit summary DIR|FILES...`: a fleet's reports summarised.
#pragma once

#include <memory>

#include "command.h"

namespace smbaudit {

[[nodiscard]] std::unique_ptr<Command> make_summary_command();

}  // namespace smbaudit
