// The fixture image files the image tests read (unit tests of src/sources/image and end-to-end
// tests of --image), built by image_builder.h on first use and kept while the object lives.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "image_builder.h"
#include "temp_dir.h"

namespace smbaudit::test_support {

// Fixture images, each built on first use and kept for the test process (ctest runs each test
// in its own process, so a test pays only for the images it reads: 0.2 to 1 s on an idle machine).
class ImageFixtures {
 public:
  // Why no image can be built (a tool is missing), or nullopt.
  static std::optional<std::string> missing_tools() {
    return missing_image_tools(
        {"wimcapture", "wimappend", "wimapply", "wiminfo", "wimextract", "mkntfs", "sfdisk", "qemu-img"});
  }

  const std::filesystem::path& tree() {
    return make("tree",
                [&](const std::filesystem::path& p) { return write_windows_tree("hardened-26100-enterprise", p); });
  }
  const std::filesystem::path& home_tree() {
    return make("home",
                [&](const std::filesystem::path& p) { return write_windows_tree("default-26100-home", p, ""); });
  }
  // Windows matches names in any case; an image may well hold windows/system32/CONFIG/system.
  const std::filesystem::path& lower_tree() {
    return make("lower", [&](const std::filesystem::path& p) -> std::optional<std::string> {
      const auto tmp = dir_.path() / "lower-tmp";
      if (auto failed = write_windows_tree("default-7601-professional", tmp)) return failed;
      std::filesystem::create_directories(p / "windows/system32");
      std::filesystem::rename(tmp / "Windows/System32/config", p / "windows/system32/CONFIG");
      std::filesystem::rename(p / "windows/system32/CONFIG/SYSTEM", p / "windows/system32/CONFIG/system");
      return std::nullopt;
    });
  }
  const std::filesystem::path& empty_tree() {
    return make("empty", [&](const std::filesystem::path& p) -> std::optional<std::string> {
      std::filesystem::create_directories(p / "Users");
      return std::nullopt;
    });
  }
  const std::filesystem::path& wim() {
    return make("install.wim",
                [&](const std::filesystem::path& p) { return make_wim(tree(), p, "Windows 11 Enterprise"); });
  }
  const std::filesystem::path& two_images() {
    return make("two.wim", [&](const std::filesystem::path& p) -> std::optional<std::string> {
      if (auto failed = make_wim(tree(), p, "Windows 11 Enterprise")) return failed;
      return append_wim(home_tree(), p, "Windows 11 Home");
    });
  }
  const std::filesystem::path& esd() {
    return make("install.esd",
                [&](const std::filesystem::path& p) { return make_wim(tree(), p, "Windows 11 Enterprise", true); });
  }
  const std::filesystem::path& no_windows_wim() {
    return make("data.wim", [&](const std::filesystem::path& p) { return make_wim(empty_tree(), p, "Data"); });
  }
  const std::filesystem::path& volume() {
    return make("windows.ntfs", [&](const std::filesystem::path& p) { return make_ntfs_volume(tree(), p, 8); });
  }
  const std::filesystem::path& home_volume() {
    return make("home.ntfs", [&](const std::filesystem::path& p) { return make_ntfs_volume(home_tree(), p, 8); });
  }
  const std::filesystem::path& lower_volume() {
    return make("lower.ntfs", [&](const std::filesystem::path& p) { return make_ntfs_volume(lower_tree(), p, 8); });
  }
  const std::filesystem::path& empty_volume() {
    return make("empty.ntfs", [&](const std::filesystem::path& p) { return make_ntfs_volume(empty_tree(), p, 8); });
  }
  const std::filesystem::path& gpt() {
    return make("gpt.img", [&](const std::filesystem::path& p) {
      return make_disk(p, "gpt", {{1, efi_, {}}, {2, data_, {}}, {8, data_, volume()}});
    });
  }
  const std::filesystem::path& mbr() {
    return make("mbr.img", [&](const std::filesystem::path& p) { return make_disk(p, "dos", {{8, "7", volume()}}); });
  }
  const std::filesystem::path& two_windows() {
    return make("two-windows.img", [&](const std::filesystem::path& p) {
      return make_disk(p, "gpt", {{8, data_, volume()}, {8, data_, empty_volume()}, {8, data_, home_volume()}});
    });
  }
  const std::filesystem::path& no_windows() {
    return make("no-windows.img", [&](const std::filesystem::path& p) {
      return make_disk(p, "gpt", {{1, efi_, {}}, {8, data_, empty_volume()}});
    });
  }
  const std::filesystem::path& vhd() {
    return make("disk.vhd", [&](const std::filesystem::path& p) { return convert_disk(gpt(), p, "vpc"); });
  }
  const std::filesystem::path& vhdx() {
    return make("disk.vhdx", [&](const std::filesystem::path& p) { return convert_disk(gpt(), p, "vhdx"); });
  }
  const std::filesystem::path& vmdk() {
    return make("disk.vmdk", [&](const std::filesystem::path& p) { return convert_disk(gpt(), p, "vmdk"); });
  }
  const std::filesystem::path& qcow2() {
    return make("disk.qcow2", [&](const std::filesystem::path& p) { return convert_disk(gpt(), p, "qcow2"); });
  }

 private:
  template <typename Build>
  const std::filesystem::path& make(const std::string& name, Build build) {
    auto it = built_.find(name);
    if (it != built_.end()) return it->second;
    const auto path = dir_.path() / name;
    if (auto failed = build(path)) ADD_FAILURE() << "building the fixture " << name << ": " << *failed;
    return built_.emplace(name, path).first->second;
  }

  TempDir dir_;
  std::map<std::string, std::filesystem::path> built_;
  const std::string efi_{kEfiSystemType}, data_{kBasicDataType};
};

}  // namespace smbaudit::test_support
