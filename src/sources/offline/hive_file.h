// Checks a file is a complete primary registry hive before any parser sees it: the same
// checks and messages on every platform, whatever library reads the hive afterwards.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "smbaudit/expected.h"

namespace smbaudit::offline {

// What the base block says about a hive that passed the checks.
struct HiveFileInfo {
  std::uint64_t size = 0;
  // The sequence numbers differ: Windows did not finish writing it, and the newest changes are
  // still in its .LOG1/.LOG2 files, which no reader here replays.
  bool dirty = false;
};

// Returns the base block's facts, or what is wrong with the file in a few words (without its name).
[[nodiscard]] Expected<HiveFileInfo, std::string> check_hive_file(const std::filesystem::path& file);

// The same checks on bytes already read: the whole file, or at least its first 4 KiB hive bin page.
[[nodiscard]] Expected<HiveFileInfo, std::string> check_hive_header(std::string_view head, std::uint64_t file_size);

// Walks the chain of hive bins of a file that passed check_hive_file but that a parser
// rejected, to say where it breaks; nullopt when every bin header is sound (a cell is damaged).
[[nodiscard]] std::optional<std::string> find_bin_damage(const std::filesystem::path& file);

}  // namespace smbaudit::offline
