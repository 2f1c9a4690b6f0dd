// The offline-image source: a Windows installation's SYSTEM and SOFTWARE hive files, read
// without booting it. Rules see the same HKLM paths as on a live host. Where the hives are
// is an image locator's business (image_locator.h); this reads what a locator found.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../sources.h"
#include "hive.h"
#include "image_locator.h"

namespace smbaudit::offline {

enum class HiveRole { System, Software };

// One opened hive and the file it came from (named in messages and evidence).
struct HiveFile {
  std::string path;  // what messages and evidence call it (LocatedHive::name)
  std::unique_ptr<Hive> hive;
  bool dirty = false;                       // see HiveFileInfo::dirty
  std::shared_ptr<const PrivateFile> held;  // extracted bytes, kept while the hive is read
};

// The hives of one image; a hive left out makes the facts it holds unknown.
struct OfflineImage {
  std::optional<HiveFile> system;
  std::optional<HiveFile> software;
  std::string missing_note;  // why a hive is missing, e.g. "no SOFTWARE hive was given"
};

// Opens one hive a locator found, checking it first; the error is one line naming it.
[[nodiscard]] Expected<HiveFile, CollectError> open_hive_file(const LocatedHive& located, HiveRole role);

// Checks each hive is of its kind (SYSTEM: a Select key naming an existing control set;
// SOFTWARE: Microsoft\Windows NT\CurrentVersion) and returns the source over them.
[[nodiscard]] Expected<std::unique_ptr<FactSource>, CollectError> make_offline_source(OfflineImage image);

// Opens the hives a locator found and the source over them.
[[nodiscard]] Expected<std::unique_ptr<FactSource>, CollectError> open_located_image(const LocatedImage& located);

// The source table's entry point: the one image locator whose flags were given.
[[nodiscard]] Expected<HostSources, CollectError> open_offline_sources(const SourceArgs& args);

}  // namespace smbaudit::offline
