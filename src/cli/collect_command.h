// `smbaudit collect`: write each host's facts snapshot for the whole rule pack, so the
// host can be audited later, or elsewhere, with `audit --facts`.
#pragma once

#include <memory>

#include "command.h"

namespace smbaudit {

[[nodiscard]] std::unique_ptr<Command> make_collect_command();

}  // namespace smbaudit
