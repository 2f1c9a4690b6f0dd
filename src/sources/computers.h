// The remote hosts a live run audits: --computer names plus a --computer-list file.
#pragma once

#include <string>
#include <vector>

#include "smbaudit/expected.h"

namespace smbaudit {

// Combines --computer names and the names in `list_file` (one per line; blank lines and
// lines starting with '#' are skipped; a leading "\\" is dropped), in order, without
// case-insensitive duplicates. Errors name the file and line, or the bad name.
[[nodiscard]] Expected<std::vector<std::string>, std::string> computer_names(const std::vector<std::string>& names,
                                                                             const std::string& list_file);

}  // namespace smbaudit
