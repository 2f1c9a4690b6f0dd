// Registry key paths as the three policy files write them, checked once for all readers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smbaudit::gpo {

// Why `key` (below a hive: "Software\Policies\...") cannot name a key, or nullopt: it is
// empty, has an empty component ("a\\b", a leading or trailing '\'), a component longer than
// 255 characters (the registry's limit), or more than 512 components (its depth limit).
[[nodiscard]] std::optional<std::string> key_path_problem(std::string_view key);

// "HKLM\" + key: the spelling facts and the policy model use.
[[nodiscard]] std::string hklm_path(std::string_view key);

}  // namespace smbaudit::gpo
