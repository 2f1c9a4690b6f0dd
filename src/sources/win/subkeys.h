// A registry key's subkey names, read one way for the live registry and a loaded hive file.
#pragma once

#include <windows.h>

#include <string>
#include <vector>

#include "smbaudit/expected.h"

namespace smbaudit::win {

// The names of `key`'s direct subkeys (opened with KEY_ENUMERATE_SUB_KEYS), or the failing API
// in one line. A list that grows while it is read is read again, a few times.
[[nodiscard]] Expected<std::vector<std::string>, std::string> subkey_names(HKEY key);

}  // namespace smbaudit::win
