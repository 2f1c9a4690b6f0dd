// Security updates current: InstalledOn dates of Win32_QuickFixEngineering.
#pragma once

#include <optional>
#include <string_view>

#include "outcome.h"

namespace smbaudit {

// Days since 1970-01-01 for an InstalledOn string in the forms Windows writes: M/D/YYYY
// (WMI's form), YYYY-MM-DD, YYYYMMDD, a hex FILETIME, or D.M.YYYY where month first is
// impossible. A date after the collection time is treated as unreadable by the check.
[[nodiscard]] std::optional<long> parse_installed_on(std::string_view text);

// Days since 1970-01-01 of an ISO 8601 timestamp's date part.
[[nodiscard]] std::optional<long> parse_iso_date(std::string_view text);

Outcome evaluate_updates(const UpdatesCheck& check, const HostFacts& host, const FactSet& facts, const Value& max_age,
                         const EvidenceSink& sink);

}  // namespace smbaudit
