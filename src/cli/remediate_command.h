// `smbaudit remediate`: from a report's failed findings (or a fresh audit's) to a fix
// script a person reviews, with its rollback. smbaudit itself never changes the host.
#pragma once

#include <memory>

#include "command.h"

namespace smbaudit {

[[nodiscard]] std::unique_ptr<Command> make_remediate_command();

}  // namespace smbaudit
