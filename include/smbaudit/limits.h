// Documented caps on hostile or mistaken input (see docs/security.md), so any
// input costs bounded memory and time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace smbaudit::limits {

inline constexpr std::size_t kMaxInputFileBytes = 16 * 1024 * 1024;  // rule, profile, facts, report files
inline constexpr int kMaxCheckDepth = 16;                            // nested all_of / any_of / not
inline constexpr std::size_t kMaxRules = 1000;
inline constexpr std::uint64_t kMaxHiveBytes = 1024ull * 1024 * 1024;  // one offline hive file (SOFTWARE: 20-300 MB)
inline constexpr int kMaxHiveKeyDepth = 64;                            // names in one key path read from a hive

}  // namespace smbaudit::limits
