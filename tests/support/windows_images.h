// The Windows images the offline tests and the example are built from: SYSTEM and SOFTWARE
// hive contents for a few kinds of host, written as a mounted volume's folder tree.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hive_builder.h"

namespace smbaudit::test_support {

struct WindowsImage {
  std::string name;  // e.g. "hardened-26100-enterprise"
  HiveSpec system;
  HiveSpec software;
};

// hardened-26100-enterprise, default-26100-home, default-7601-professional,
// member-server-16299, domain-controller-20348, golden-26100-pro (the example).
[[nodiscard]] std::vector<std::string> windows_image_names();
[[nodiscard]] std::optional<WindowsImage> windows_image(std::string_view name);

// Where the hives lie under a volume root, in the casing most images use.
inline constexpr std::string_view kConfigFolder = "Windows/System32/config";

// Writes the image's hives to `system` and `software`; returns what failed, or nullopt.
[[nodiscard]] std::optional<std::string> write_image_hives(const WindowsImage& image,
                                                           const std::filesystem::path& system,
                                                           const std::filesystem::path& software);

}  // namespace smbaudit::test_support
