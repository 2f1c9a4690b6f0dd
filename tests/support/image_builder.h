// Fixture image files for the image-reader tests, built on the fly with Debian's tools (no
// binary image is committed): a Windows-shaped folder tree with fixture hives, WIMs
// (wimcapture/wimappend), NTFS volume images (mkntfs, then wimapply into the file), raw disks
// (sfdisk for MBR and GPT, volumes copied in at their partition's offset), VHD/VHDX/VMDK/QCOW2
// (qemu-img convert) and a differencing VHDX (qemu-img create, then its metadata patched to name
// a parent). Native builds with hivex and the image libraries only. Every function returns what
// failed, or nullopt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smbaudit::test_support {

// nullopt when every tool is on PATH, else the reason a test skips: "mkntfs is not installed
// (Debian package ntfs-3g; scripts/setup.sh installs it)".
[[nodiscard]] std::optional<std::string> missing_image_tools(std::initializer_list<std::string_view> tools);

// A small Registry.pol (PReg header and one policy), for checking it is carried through.
[[nodiscard]] std::string sample_registry_pol();

// ROOT/Windows/System32/config/{SYSTEM,SOFTWARE} of a fixture image (windows_images.h) and,
// unless `registry_pol` is empty, ROOT/Windows/System32/GroupPolicy/Machine/Registry.pol.
[[nodiscard]] std::optional<std::string> write_windows_tree(std::string_view image_name,
                                                            const std::filesystem::path& root,
                                                            const std::string& registry_pol = sample_registry_pol());

// Runs a tool (no shell); the error is its name and its standard error.
[[nodiscard]] std::optional<std::string> run_tool(const std::vector<std::string>& argv);

[[nodiscard]] std::optional<std::string> make_wim(const std::filesystem::path& tree, const std::filesystem::path& wim,
                                                  const std::string& name, bool esd = false);
[[nodiscard]] std::optional<std::string> append_wim(const std::filesystem::path& tree, const std::filesystem::path& wim,
                                                    const std::string& name);

// An NTFS volume image of `megabytes` holding `tree` (empty tree: an empty volume).
[[nodiscard]] std::optional<std::string> make_ntfs_volume(const std::filesystem::path& tree,
                                                          const std::filesystem::path& volume, std::uint64_t megabytes);

struct FixturePartition {
  std::uint64_t megabytes = 0;
  std::string type;                              // sfdisk's type: a GPT type GUID, or an MBR code such as "7"
  std::optional<std::filesystem::path> content;  // a volume image copied in at the partition's start
};

// A raw disk (`label` "gpt" or "dos") with the partitions one after the other from 1 MiB.
[[nodiscard]] std::optional<std::string> make_disk(const std::filesystem::path& disk, std::string_view label,
                                                   const std::vector<FixturePartition>& partitions);

inline constexpr std::string_view kBasicDataType = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7";
inline constexpr std::string_view kEfiSystemType = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";

// qemu-img convert -f raw -O FORMAT (vpc, vhdx, vmdk, qcow2).
[[nodiscard]] std::optional<std::string> convert_disk(const std::filesystem::path& raw,
                                                      const std::filesystem::path& out, std::string_view qemu_format);

// A differencing VHDX whose every block comes from `parent` (a VHDX), naming it as
// `recorded_parent` (relative_path, and absolute_win32_path C:\images\BASENAME).
[[nodiscard]] std::optional<std::string> make_differencing_vhdx(const std::filesystem::path& parent,
                                                                const std::filesystem::path& child,
                                                                const std::string& recorded_parent);

}  // namespace smbaudit::test_support
