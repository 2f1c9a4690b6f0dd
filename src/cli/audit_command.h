// `smbaudit audit`: evaluate the rules against one or more hosts and write reports.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "command.h"
#include "smbaudit/engine.h"

namespace smbaudit {

[[nodiscard]] std::unique_ptr<Command> make_audit_command();

// Expands {host}, {utc} (20261122T031500Z) and {date} (2026-11-22) in an output path;
// `generated_at` is the report's ISO 8601 time. Unknown {names} are left as written.
[[nodiscard]] std::string expand_output_path(std::string_view pattern, const Report& report);

}  // namespace smbaudit
