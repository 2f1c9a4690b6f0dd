// Documented caps on hostile or mistaken input (docs/security.md lists each with its
// error and its test), so any input costs bounded memory and time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace smbaudit::limits {

inline constexpr std::size_t kMaxInputFileBytes = 16 * 1024 * 1024;  // rule, profile, facts, report files
inline constexpr std::size_t kMaxPackBytes = 32 * 1024 * 1024;       // a rule folder's files together
inline constexpr std::size_t kMaxJsonDepth = 64;                     // nested arrays and objects in any JSON input
inline constexpr std::size_t kMaxStringBytes = 1024 * 1024;          // one JSON string (key or value)
inline constexpr int kMaxCheckDepth = 16;                            // nested all_of / any_of / not
inline constexpr std::size_t kMaxRules = 1000;
inline constexpr std::size_t kMaxPatchTableCves = 10000;               // CVEs in one patch-level table
inline constexpr std::uint64_t kMaxHiveBytes = 1024ull * 1024 * 1024;  // one offline hive file (SOFTWARE: 20-300 MB)
inline constexpr int kMaxHiveKeyDepth = 64;                            // names in one key path read from a hive
inline constexpr std::size_t kMaxValuesPerKey = 65536;                 // registry values in one key of a facts file
inline constexpr std::size_t kMaxSubkeysListed = 4096;    // subkeys of one listed key (network interfaces: tens)
inline constexpr std::size_t kMaxWmiInstances = 65536;    // instances of one WMI class in a facts file
inline constexpr std::size_t kMaxReportFindings = 10000;  // findings in one report read back
inline constexpr std::size_t kMaxXmlDepth = 64;           // nested elements in a GPO's XML files
inline constexpr std::size_t kMaxXmlAttributes = 64;      // attributes of one XML element
inline constexpr std::size_t kMaxErrorLineBytes = 1024;   // an error line quoting input keeps its head and tail
inline constexpr std::size_t kMaxErrorsShown = 20;        // problems listed for one rule pack; then a count

}  // namespace smbaudit::limits
