// The offline-image source: a Windows installation's SYSTEM and SOFTWARE hive files, read
// without booting it. Rules see the same HKLM paths as on a live host.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../sources.h"
#include "hive.h"

namespace smbaudit::offline {

enum class HiveRole { System, Software };

// One opened hive and the file it came from (named in messages and evidence).
struct HiveFile {
  std::string path;
  std::unique_ptr<Hive> hive;
  bool dirty = false;  // see HiveFileInfo::dirty
};

// The hives of one image; a hive left out makes the facts it holds unknown.
struct OfflineImage {
  std::optional<HiveFile> system;
  std::optional<HiveFile> software;
  std::string missing_note;  // why a hive is missing, e.g. "no SOFTWARE hive was given"
};

// The two hive files under a mounted Windows volume (Windows/System32/config, any case).
struct ImageHivePaths {
  std::optional<std::filesystem::path> system;
  std::optional<std::filesystem::path> software;
};

// Finds Windows/System32/config/{SYSTEM,SOFTWARE} under `root`, matching each name
// case-insensitively; an error when the folder is missing or holds neither hive.
[[nodiscard]] Expected<ImageHivePaths, std::string> find_image_hives(const std::filesystem::path& root);

// Opens one hive file, checking it first; the error is one line naming the file.
[[nodiscard]] Expected<HiveFile, CollectError> open_hive_file(const std::filesystem::path& file, HiveRole role);

// Checks each hive is of its kind (SYSTEM: a Select key naming an existing control set;
// SOFTWARE: Microsoft\Windows NT\CurrentVersion) and returns the source over them.
[[nodiscard]] Expected<std::unique_ptr<FactSource>, CollectError> make_offline_source(OfflineImage image);

// The source table's entry point: --system/--software, or --image-root.
[[nodiscard]] Expected<std::vector<std::unique_ptr<FactSource>>, CollectError> open_offline_sources(
    const SourceOptions& options);

}  // namespace smbaudit::offline
