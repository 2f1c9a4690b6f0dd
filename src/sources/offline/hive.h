// One registry hive file opened read-only: the seam between the offline source and the
// library that parses hives (hivex on Linux, RegLoadAppKeyW on Windows).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/value.h"

namespace smbaudit::offline {

class Hive {
 public:
  virtual ~Hive() = default;
  // Returns every value of the key at `path` (names joined by '\', matched case-insensitively;
  // "" is the hive's root key), std::nullopt when no such key exists, or why the hive's
  // structure could not be read there.
  virtual Expected<std::optional<std::vector<RegValue>>, std::string> read_key(std::string_view path) = 0;
  // The names of the key's direct subkeys, as read_key finds the key (nullopt: no such key).
  virtual Expected<std::optional<std::vector<std::string>>, std::string> subkeys(std::string_view path) = 0;
};

enum class HiveReaderAvailability { Built, NotInThisBuild };

// Whether this build can read hive files at all (hivex natively, the registry API on Windows).
#if defined(_WIN32) || defined(SMBAUDIT_HAVE_HIVEX)
inline constexpr HiveReaderAvailability kHiveReader = HiveReaderAvailability::Built;
#else
inline constexpr HiveReaderAvailability kHiveReader = HiveReaderAvailability::NotInThisBuild;
#endif

// Why a key holding more than limits::kMaxValuesPerKey values is refused: no setting needs that
// many, and reading them all would let one crafted key cost unbounded memory.
[[nodiscard]] std::string too_many_values();

// Opens a hive file that passed check_hive_file, never writing to it; the error says what is
// wrong with the file in a few words, without its name.
[[nodiscard]] Expected<std::unique_ptr<Hive>, std::string> open_hive(const std::filesystem::path& file);

}  // namespace smbaudit::offline
