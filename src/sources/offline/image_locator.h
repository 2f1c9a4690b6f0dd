// Finding an image's hives is separate from reading them: an image locator turns what the
// command line names (hive files, a mounted volume's root, next an image file) into the
// SYSTEM and SOFTWARE hives the offline source opens, as files or as bytes an image reader
// extracted. Each locator is one entry of image_locators(), owning its flags.
//
// A new locator: a function `Expected<LocatedImage, CollectError> locate(const SourceArgs&)`
// in its own file, and one entry {name, flags, locate} in image_locators.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../sources.h"
#include "private_file.h"

namespace smbaudit::offline {

// One hive a locator found: a file to open where it is, or bytes held in a PrivateFile (always
// removed) for as long as any copy of this object lives.
class LocatedHive {
 public:
  [[nodiscard]] static LocatedHive file(const std::filesystem::path& path);
  // `name` is what messages and evidence call the hive ("golden.wim:1:\Windows\System32\config\SYSTEM").
  [[nodiscard]] static Expected<LocatedHive, std::string> bytes(std::span<const std::uint8_t> data, std::string name);

  // What the hive reader opens.
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // What messages and evidence call it.
  [[nodiscard]] const std::string& name() const { return name_; }
  // The private file holding extracted bytes (null for a file opened in place).
  [[nodiscard]] const std::shared_ptr<const PrivateFile>& held() const { return held_; }

 private:
  std::filesystem::path path_;
  std::string name_;
  std::shared_ptr<const PrivateFile> held_;
};

// The hives of one image; a hive left out makes the facts it holds unknown.
struct LocatedImage {
  std::optional<LocatedHive> system;
  std::optional<LocatedHive> software;
  std::string missing_note;  // why a hive is missing, e.g. "no SOFTWARE hive under /mnt/win"
  // The image's local Group Policy (Windows\System32\GroupPolicy\Machine\Registry.pol), which
  // Windows applies over the hives at boot; empty when the image has none.
  std::vector<std::shared_ptr<const FactLayer>> layers;
};

// The local Group Policy layer of an image from its Machine\Registry.pol bytes; `origin` names
// the file in messages and evidence. A damaged file is an error: what it would set is unknown.
[[nodiscard]] Expected<std::shared_ptr<const FactLayer>, std::string> local_policy_layer(std::string_view bytes,
                                                                                         const std::string& origin);

struct ImageLocator {
  std::string_view name;
  // Its flags: any selecting one given chooses this locator (and the offline source).
  std::span<const SourceFlag> flags;
  // Finds the hives; an error (exit 2) names what the flags named and what is wrong.
  Expected<LocatedImage, CollectError> (*locate)(const SourceArgs& args);
};

// The one table of image locators, in --help order.
[[nodiscard]] std::span<const ImageLocator> image_locators();

// The locators' flags, for the offline source's table entry.
[[nodiscard]] std::vector<SourceFlag> locator_flags();

// "--system PATH --software PATH | --image-root DIR": each locator's selecting flags.
[[nodiscard]] std::string locator_usage();

// The --image locator (image_file_locator.cpp): the hives of an image file, taken out of it into
// private files; in a build without the image reader, an error saying to mount it instead.
[[nodiscard]] Expected<LocatedImage, CollectError> locate_image_file(const SourceArgs& args);

// The two hive files under a mounted Windows volume (Windows/System32/config, any case).
struct ImageHivePaths {
  std::optional<std::filesystem::path> system;
  std::optional<std::filesystem::path> software;
  std::optional<std::filesystem::path> registry_pol;  // Windows/System32/GroupPolicy/Machine/Registry.pol
};

// Finds Windows/System32/config/{SYSTEM,SOFTWARE} under `root`, matching each name
// case-insensitively; an error when the folder is missing or holds neither hive.
[[nodiscard]] Expected<ImageHivePaths, std::string> find_image_hives(const std::filesystem::path& root);

}  // namespace smbaudit::offline
