// The image locators: hive files named one by one, a mounted volume's root, and an image file.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "../../core/input.h"
#include "../gpo/gpo_layer.h"
#include "disk_image.h"
#include "image_locator.h"
#include "smbaudit/text.h"

namespace smbaudit::offline {
namespace {

Unexpected<CollectError> bad(std::string message) {
  return Unexpected(CollectError{CollectFailure::BadInput, std::move(message)});
}

// --system PATH, --software PATH: the hive files themselves.
constexpr std::array<SourceFlag, 2> kHiveFileFlags{{
    {"--system", "PATH", "offline image: its SYSTEM hive file"},
    {"--software", "PATH", "offline image: its SOFTWARE hive file"},
}};

Expected<LocatedImage, CollectError> locate_hive_files(const SourceArgs& args) {
  LocatedImage image;
  const std::string system = args.text("--system"), software = args.text("--software");
  if (!system.empty()) image.system = LocatedHive::file(system);
  if (!software.empty()) image.software = LocatedHive::file(software);
  image.missing_note = image.system ? "no --software hive given" : "no --system hive given";
  return image;
}

// --image-root DIR: a mounted Windows volume.
constexpr std::array<SourceFlag, 1> kImageRootFlags{{
    {"--image-root", "DIR",
     "offline image: a mounted Windows volume (finds Windows/System32/config/SYSTEM and SOFTWARE)"},
}};

Expected<LocatedImage, CollectError> locate_image_root(const SourceArgs& args) {
  const std::string root = args.text("--image-root");
  auto found = find_image_hives(root);
  if (!found) return bad(fmt::format("{}: {}", root, found.error()));
  LocatedImage image;
  if (found->system) image.system = LocatedHive::file(*found->system);
  if (found->software) image.software = LocatedHive::file(*found->software);
  image.missing_note = fmt::format("no {} hive under {}", image.system ? "SOFTWARE" : "SYSTEM", root);
  if (found->registry_pol) {
    const std::string name = found->registry_pol->string();
    auto bytes = read_input_file(*found->registry_pol);
    if (!bytes) return bad(fmt::format("{}: {}", name, bytes.error()));
    auto layer = local_policy_layer(*bytes, name);
    if (!layer) return bad(layer.error());
    image.layers.push_back(std::move(*layer));
  }
  return image;
}

// --image FILE, --image-index N, --partition N: an image file (image_file_locator.cpp). Each
// setting reads 0 when not given; the reader numbers images and partitions from 1.
constexpr std::array<SourceFlag, 3> kImageFileFlags{{
    {"--image", "FILE",
     "offline image: a WIM or ESD, VHD or VHDX, VMDK, QCOW2, raw disk (MBR or GPT) or NTFS volume image file, read "
     "without mounting it"},
    {"--image-index", "N", "with --image: the image of a WIM or ESD holding several (wiminfo lists them)",
     FlagKind::Integer, FlagRole::Setting, 1, 65535, 0},
    {"--partition", "N", "with --image: the partition holding Windows on a disk with several (as Linux numbers them)",
     FlagKind::Integer, FlagRole::Setting, 1, 65535, 0},
}};

// Order matters for --help and for the message when two are given (the later one is named first).
constexpr std::array<ImageLocator, 3> kLocators{{
    {"hive files", kHiveFileFlags, locate_hive_files},
    {"image root", kImageRootFlags, locate_image_root},
    {"image file", kImageFileFlags, locate_image_file},
}};

// The subfolder of `dir` named `name` in any case (or the file, with `want_file`); an exact match wins.
std::optional<std::filesystem::path> child_any_case(const std::filesystem::path& dir, std::string_view name,
                                                    bool want_file) {
  std::error_code ec;
  std::vector<std::filesystem::path> matches;
  for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (!iequals(entry, name)) continue;
    std::error_code type_ec;
    const bool fits = want_file ? it->is_regular_file(type_ec) : it->is_directory(type_ec);
    if (!fits) continue;
    if (entry == name) return it->path();
    matches.push_back(it->path());
  }
  if (matches.empty()) return std::nullopt;
  return *std::min_element(matches.begin(), matches.end());
}

}  // namespace

LocatedHive LocatedHive::file(const std::filesystem::path& path) {
  LocatedHive hive;
  hive.path_ = path;
  hive.name_ = path.string();
  return hive;
}

Expected<LocatedHive, std::string> LocatedHive::bytes(std::span<const std::uint8_t> data, std::string name) {
  SMBAUDIT_TRY_ASSIGN(std::unique_ptr<PrivateFile> held, PrivateFile::hold(data));
  LocatedHive hive;
  hive.path_ = held->path();
  hive.name_ = std::move(name);
  hive.held_ = std::move(held);
  return hive;
}

std::span<const ImageLocator> image_locators() {
  return kLocators;
}

std::vector<SourceFlag> locator_flags() {
  std::vector<SourceFlag> out;
  for (const auto& locator : kLocators) out.insert(out.end(), locator.flags.begin(), locator.flags.end());
  return out;
}

std::string locator_usage() {
  std::vector<std::string> parts;
  for (const auto& locator : kLocators) parts.push_back(flags_usage(locator.flags));
  return join(parts, " | ");
}

Expected<ImageHivePaths, std::string> find_image_hives(const std::filesystem::path& root) {
  std::error_code ec;
  if (!std::filesystem::exists(root, ec)) return Unexpected(std::string("no such folder"));
  if (!std::filesystem::is_directory(root, ec)) {
    if (auto image = recognise_image_file(root)) return Unexpected(image_message(*image, "a folder"));
    return Unexpected(std::string("not a folder (give the root of a mounted Windows volume)"));
  }
  std::filesystem::path dir = root;
  for (std::string_view name : {"Windows", "System32", "config"}) {
    auto next = child_any_case(dir, name, false);
    if (!next)
      return Unexpected(
          std::string("no Windows/System32/config folder under it (is it the root of a mounted Windows volume?)"));
    dir = *next;
  }
  ImageHivePaths paths{child_any_case(dir, "SYSTEM", true), child_any_case(dir, "SOFTWARE", true), std::nullopt};
  if (!paths.system && !paths.software)
    return Unexpected(fmt::format("{} holds neither a SYSTEM nor a SOFTWARE hive", dir.string()));
  std::optional<std::filesystem::path> policy = root;
  for (std::string_view name : {"Windows", "System32", "GroupPolicy", "Machine"})
    if (policy) policy = child_any_case(*policy, name, false);
  if (policy) paths.registry_pol = child_any_case(*policy, "Registry.pol", true);
  return paths;
}

Expected<std::shared_ptr<const FactLayer>, std::string> local_policy_layer(std::string_view bytes,
                                                                           const std::string& origin) {
  auto records = gpo::parse_registry_pol(bytes);
  if (!records) return Unexpected(fmt::format("{}: {}", origin, records.error()));
  // The local GPO is one more GPO to the policy model: Windows applies it first, before site,
  // domain and OU policy, so --gpo layers go over it.
  gpo::Gpo local;
  local.location.info.folder = origin;
  local.location.info.display_name = "Local Group Policy";
  local.location.registry_pol = origin;
  local.registry_pol = std::move(*records);
  gpo::PolicyState policy;
  policy.add(local);
  return gpo::make_gpo_layer(std::move(policy));
}

}  // namespace smbaudit::offline
