// `smbaudit diff OLD.json NEW.json`: drift between two reports, gateable by exit code.
#pragma once

#include <memory>

#include "command.h"

namespace smbaudit {

[[nodiscard]] std::unique_ptr<Command> make_diff_command();

}  // namespace smbaudit
